import type { Priority } from './analysis.ts';

/**
 * How urgent an action item sounds, in Zoho's Task priorities: explicit words first
 * ("critical", "asap", "top priority", "number one, before anything else" → Highest; "urgent", a
 * blocker or deal-breaker (not "not a blocker"), "tonight", "right away", "high priority", a
 * deadline with money or a signature at stake → High; "no rush",
 * "whenever", "low priority", "nice to have" → Low), else Normal. Rules, not a model: the
 * offline analyser's baseline, and the reading of an upstream item that came without one.
 */
const rules: Array<[RegExp, Priority]> = [
  [/\b(no rush|no hurry|whenever|low priority|nice to have|not urgent|at some point|eventually)\b/i, 'Low'],
  [
    /\b(critical|asap|as soon as possible|top priority|immediately|escalat\w*|outage|number one(?=\s*[,:;–-])|before anything else)\b/i,
    'Highest',
  ],
  // "That one is urgent" makes the task High; "number one, before anything else" Highest.
  [
    /(?<!\b(?:not|no|isn't|not a|not the|isn't a|nothing)\s+)\b(urgent(ly)?|tonight|right away|high priority|first thing|end of (the )?day|eod|before (the|our|their) (budget|board|review)|deadline|deal[- ]?breaker|blocker)\b/i,
    'High',
  ],
];

export function priorityFromText(text: string): Priority | undefined {
  for (const [pattern, priority] of rules) if (pattern.test(text)) return priority;
  return undefined;
}

/** A priority as a platform might send it ("high", "URGENT", "medium", "p1"), in Zoho's values. */
export function zohoPriority(value: string | undefined): Priority | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  if (['highest', 'urgent', 'critical', 'p0', 'blocker'].includes(v)) return 'Highest';
  if (['high', 'p1', 'important'].includes(v)) return 'High';
  if (['normal', 'medium', 'p2', 'default'].includes(v)) return 'Normal';
  if (['low', 'p3', 'minor'].includes(v)) return 'Low';
  if (['lowest', 'p4', 'trivial'].includes(v)) return 'Lowest';
  return undefined;
}
