import { describe, expect, it } from 'vitest';
import { pipelines } from '../../test/helpers/deals.ts';
import type { AnalysisInput, TranscriptTurn } from './analysis.ts';
import { createOfflineAnalyzer } from './offline.ts';

/**
 * The offline analyser's action items and stage on short meetings, one behaviour each: what a
 * sales team would expect to land (or not) in their CRM.
 */
const meeting = {
  title: 'Follow-up',
  start_time: '2026-03-10T09:00:00Z',
  end_time: '2026-03-10T09:30:00Z',
  timezone: 'Europe/Berlin',
};
const host = (text: string): TranscriptTurn => ({ speaker: 'Sophie Lang', role: 'host', text });
const buyer = (text: string): TranscriptTurn => ({ speaker: 'Katrin Vogt', role: 'attendee', text });
const analyse = (transcript: TranscriptTurn[], pipeline?: AnalysisInput['pipeline']) =>
  createOfflineAnalyzer().analyze({ meeting, transcript, ...(pipeline ? { pipeline } : {}) });

describe('action items', () => {
  it('leaves out hedged offers', async () => {
    const a = await analyse([
      host('Anything else from your side?'),
      buyer("I might be able to dig up the old RFP, but I'm not sure legal will let me share it."),
      buyer("Maybe I'll loop in our CFO at some point."),
      host("I'll send the proposal by Friday."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(['Send the proposal']);
  });

  it('leaves out a plan put on the screen and a check the speaker only needs to make', async () => {
    const a = await analyse([
      host('Let me share the project plan.'),
      host("I'm sharing now."),
      host('For the ERP I need to check what our integration team has validated.'),
      host("I'll send you the validated connector list by Friday."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(['Send the validated connector list']);
  });

  it('review cases: a check followed by a promise, a recording shared after the call, people looped in, no "with any luck"', async () => {
    const a = await analyse([
      buyer('Maria and Tom run procurement.'),
      host("I'll loop them in."),
      host('I need to check the export and send you the file by Friday.'),
      host('Let me share the recording with your team after the call.'),
      host("I'll send the revised quote by Friday, with any luck."),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts).toContain('Loop them in');
    expect(texts.some((t) => /^Check the export and send the file/.test(t))).toBe(true);
    expect(texts).toContain('Share the recording with your team after the call');
    expect(texts).toContain('Send the revised quote');
  });

  it('reads "today\'s slides" as a thing, and leaves out what is done in the chat now, idioms and "if there is a need"', async () => {
    const a = await analyse([
      host("I'll get straight to it, then."),
      host("In the meantime, I'll send you today's slides and the case study today."),
      buyer("I'll put Timo's email in the chat now."),
      buyer('We will contact you if there is a need.'),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(["Send today's slides and the case study"]);
  });

  it('review cases, second round: a promise with a chat note, "now" about the thing, "and if needed", a possessive date', async () => {
    const a = await analyse([
      host("I'll send the NDA by Friday and put a summary in the chat."),
      host("I'll send you a quote for the forty users you have now."),
      host("I'll send the updated proposal, and if needed we can schedule a call."),
      host("I'll send you today's slides on Friday."),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts.some((t) => /^Send the NDA/.test(t))).toBe(true);
    expect(texts.some((t) => /^Send a quote for the forty users/.test(t))).toBe(true);
    expect(texts.some((t) => /^Send the updated proposal/.test(t))).toBe(true);
    // Due on the Friday said (the meeting is Tuesday 10 March), not "today".
    expect(a.action_items.find((i) => /today's slides/.test(i.text))).toMatchObject({ due: '2026-03-13' });
  });

  it('keeps what the thing is to hold when it comes after the date', async () => {
    const a = await analyse([
      buyer('When can we see the quote?'),
      host(
        "You'll have the quote by Wednesday, with Sevilla and Bilbao as separate lines, so the committee can see each.",
      ),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Send the quote with Sevilla and Bilbao as separate lines',
    ]);
  });

  it('leaves out what is done on the call and idioms, and keeps what a task is for', async () => {
    const a = await analyse([
      host('Let me put the Q1 report on screen first.'),
      host('We can come back to Valencia at the end, if you like.'),
      buyer('Let me give it to you straight: the budget went to the core system.'),
      host("I'll ask our broker for the certificate early next week."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(['Ask our broker for the certificate']);
  });

  it('does not read a pronoun as what a sentence using the same pronoun names', async () => {
    const a = await analyse([
      buyer('The questionnaire goes into the committee pack.'),
      buyer("Without it the committee won't even look at the rest."),
      host("You'll have it completed before your committee on the eighteenth."),
    ]);
    expect(a.action_items).toHaveLength(1);
    expect(a.action_items[0]!.text).toMatch(/^Send the questionnaire\b/);
    // Ready the day before the committee.
    expect(a.action_items[0]!.due).toBe('2026-03-17');
  });

  it('leaves out only the refused part of a sentence, and reads what is had done as the task', async () => {
    const a = await analyse([
      buyer('Could you delete the trial data and confirm it in writing?'),
      host("I'll have all the trial data deleted and send you a written confirmation by Friday."),
      buyer('And the revised price?'),
      host("I can't give you the exact number on the call, but I'll send you a revised proposal by Friday."),
      host("I'll take it, ruder or not."),
      host("Once we have it, we'll load your export into a sandbox tenant by Thursday."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Delete all the trial data and send a written confirmation',
      'Send a revised proposal',
      'Load your export into a sandbox tenant',
    ]);
  });

  it('takes urgency from what was asked for, and from the answer to "is it urgent?"', async () => {
    const a = await analyse([
      buyer('I want to know exactly. Number one, before anything else: a written root-cause report.'),
      host("You'll have it. I'll write it myself."),
      buyer('Can I see the waiting time per carrier?'),
      host("I'll build you a per-carrier view and send it over. Is it urgent?"),
      buyer('No, no rush.'),
    ]);
    expect(a.action_items.map((i) => [i.text, i.priority])).toEqual([
      ['Write a written root-cause report', 'Highest'],
      ['Build a per-carrier view and send it over', 'Low'],
    ]);
  });

  it('review cases: "it\'s" is no use of the pronoun, "come back to you at the end of the week" is a task, a "yes, but we can\'t" takes nothing on, "for the standard tier" is the object', async () => {
    const a = await analyse([
      buyer("We need the integration guide, it's for the IT team."),
      host("I'll send it over tomorrow."),
      host("I'll come back to you with pricing at the end of the week."),
      buyer('Could you send us the source code for the connector?'),
      host("Yes, I hear you, but we can't share the source code."),
      host("I'll send a quote for the standard tier."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Send the integration guide',
      'Come back with pricing',
      'Send a quote for the standard tier',
    ]);
  });

  it('urgency: a "yes, it\'s urgent" answer, not a competitor called number one, not "not a blocker"', async () => {
    const a = await analyse([
      host("I'll build you a per-carrier view and send it over. Is it urgent?"),
      buyer("Yes, it's urgent, the board meets soon."),
      buyer('Our number one competitor is Acme. Could you send a comparison?'),
      host("Sure, I'll send a comparison with Acme."),
      host("It's not a blocker, but I'll send the API docs."),
    ]);
    expect(a.action_items.map((i) => [i.text, i.priority])).toEqual([
      ['Build a per-carrier view and send it over', 'High'],
      ['Send a comparison with Acme', 'Normal'],
      ['Send the API docs', 'Normal'],
    ]);
  });

  it('reads "have" as a task only when someone is had to do something', async () => {
    const a = await analyse([
      host("I'll have a think about it."),
      host("I'll have the installer contact you next week."),
      buyer("I'll have the PO number for you by Friday."),
      host('Priya on my team will pull the usage report together this week.'),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Have the installer contact you',
      'Send the PO number',
      'Have Priya pull the usage report together',
    ]);
  });

  it('leaves out concessions, talk about a topic and obligations', async () => {
    const a = await analyse([
      buyer('Before we talk about the renewal I need to talk about support.'),
      buyer("The product is fine, I'll give you that."),
      buyer("I'll have to run the anonymisation past our DPO, but it should be fine."),
      host("Then I'll have the model to you both by Friday."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(['Send the model']);
  });

  it('leaves out an offer the other side turns down, and what is done during the call', async () => {
    const a = await analyse([
      host("I'll send you a summary of today's numbers."),
      buyer('No need, thanks, we have what we need.'),
      host("Let me share my screen so you can see the dashboard. I'll send the contract draft by Friday."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual(['Send the contract draft']);
  });

  it("keeps the buyer passing the proposal on at Normal, the seller's quote at High", async () => {
    const a = await analyse([
      buyer("I'll take the proposal to our finance manager next week."),
      host("And I'll send the revised quote tomorrow."),
    ]);
    expect(a.action_items.map((i) => [i.owner, i.priority])).toEqual([
      ['attendee', 'Normal'],
      ['host', 'High'],
    ]);
  });

  it('reads the labelling conventions: "leave it with me", a colleague acting, dates said loosely', async () => {
    // The meeting is on Tuesday 10 March (Berlin).
    const a = await analyse([
      buyer('Could you send the security pack?'),
      host('Leave it with me.'),
      host('Priya on my team will pull the usage report together this week.'),
      host("I'll call you Monday."),
      buyer('Our engineers will reach out to Sophie about the API.'),
      host("I'll send the SOC 2 letter early next week."),
    ]);
    expect(a.action_items.map((i) => [i.owner, i.text, i.due_inferred ? 'inferred' : i.due])).toEqual([
      ['host', 'Send the security pack', 'inferred'],
      ['host', 'Have Priya pull the usage report together', '2026-03-13'],
      ['host', 'Call Katrin', '2026-03-16'],
      ['attendee', 'Have our engineers reach out to Sophie about the API', 'inferred'],
      ['host', 'Send the SOC 2 letter', '2026-03-17'],
    ]);
  });

  it('splits "then I will", keeps a particle that is part of the task, reads titles and short forms', async () => {
    const a = await analyse([
      host("I'll have to check with legal first, then I'll send the deck."),
      host("I'll get the contract through legal."),
      buyer('Our CTO will review the questionnaire.'),
      buyer("Our engineers'll send the logs."),
      host("Not this week, but I'll send the pricing next week."),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Send the deck',
      'Get the contract through legal',
      'Have our CTO review the questionnaire',
      'Have our engineers send the logs',
      'Send the pricing',
    ]);
    // Tuesday 10 March: "next week" is Friday the 20th, "not this week" no date at all.
    expect(a.action_items.at(-1)!.due).toBe('2026-03-20');
  });

  it("takes the other side's date when they asked for it by then, not when they only mentioned one", async () => {
    const asked = await analyse([
      buyer('Could you send the deck by Friday?'),
      host("Sure, I'll send the deck."),
    ]);
    expect(asked.action_items).toMatchObject([
      { text: 'Send the deck', due: '2026-03-13', due_inferred: false },
    ]);
    const mentioned = await analyse([
      buyer('Our board meets by Friday anyway.'),
      host("I'll send the deck."),
    ]);
    expect(mentioned.action_items).toMatchObject([{ text: 'Send the deck', due_inferred: true }]);
  });

  it('does not replace a pronoun with a clause, and leaves out a task that names nothing', async () => {
    const a = await analyse([
      buyer("Our engineers'll send the logs."),
      buyer('Someone on my team will look at it.'),
      host("Not this week, but I'll send it next week."),
    ]);
    // "Send it" would be a Task that says nothing: the host's promise is left out, not garbled.
    expect(a.action_items.filter((i) => i.owner === 'host')).toEqual([]);
    const named = await analyse([
      buyer('Could you send the case study?'),
      host("Sure, I'll send it next week."),
    ]);
    expect(named.action_items.map((i) => i.text)).toEqual(['Send the case study']);
  });

  it('names what was asked when the answer only says "I will"', async () => {
    const a = await analyse([
      host('Speaking of Marco, the gateways need port 443 open. Could you put me in touch with him?'),
      buyer("Yes, I'll connect you."),
    ]);
    expect(a.action_items).toMatchObject([{ owner: 'attendee', text: 'Put Sophie in touch with Marco' }]);
  });

  it('reads "that questionnaire" as the questionnaire and "that" alone as a pronoun', async () => {
    const a = await analyse([
      host("I'll get that questionnaire over to you tomorrow."),
      buyer('We are on the panel, I believe, but let me confirm that rather than guess.'),
    ]);
    expect(a.action_items.map((i) => i.text)).toEqual([
      'Send the questionnaire',
      'Confirm that rather than guess',
    ]);
  });

  it('leaves out what a request lets the speaker do, talk without a partner, travel and time given', async () => {
    const a = await analyse([
      buyer('Send the draft Tuesday, then I can put it in front of my board Tuesday evening.'),
      host("Fine, I'll send the draft by Tuesday."),
      host("Once the scope is settled we'll talk pricing."),
      host("I'll take the train next time, the traffic was awful."),
      host("I'll give your team two weeks to try the import."),
    ]);
    expect(a.action_items).toMatchObject([{ owner: 'host', text: 'Send the draft' }]);
  });

  it('names who the speaker has reach out, and says "that one" as one thing', async () => {
    const a = await analyse([
      buyer('Single sign-on is the open point for us.'),
      host("I'll have Priya reach out to you about single sign-on."),
      buyer('Is there a German version of the data processing agreement?'),
      host("Yes, I'll send you that one tomorrow."),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts[0]).toMatch(/^Have Priya reach out to Katrin about single sign-on/);
    expect(texts[1]).toBe('Send a German version of the data processing agreement');
  });

  it('passes on what the same sentence promised to make, and keeps "in writing" whole', async () => {
    const a = await analyse([
      buyer(
        "I'll export last quarter's tickets so you can see the volumes, and I'll get that to Jonas by Friday.",
      ),
      host("We'll close the trial account, and I'll confirm it in writing."),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts).toContain("Get last quarter's tickets to Jonas");
    expect(texts.some((t) => /^Confirm \S.* in writing$/.test(t) && !/^Confirm in\b/.test(t))).toBe(true);
  });

  it('makes one task of the same thing asked for twice, however far apart, and keeps two different documents apart', async () => {
    const a = await analyse([
      buyer('Could you send whatever you have on the offline mode?'),
      host('Yes.'),
      buyer('And the SOC 2 report, please.'),
      host("I'll send the SOC 2 report today."),
      buyer('Good. What about onboarding?'),
      host('Two half-days, remote.'),
      buyer('Fine. And the pen test report?'),
      host("I'll send the pen test report tomorrow."),
      host("So to sum up: I'll send the offline mode guide by Friday."),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts.filter((t) => /offline mode/.test(t))).toHaveLength(1);
    expect(texts).toContain('Send the SOC 2 report');
    expect(texts).toContain('Send the pen test report');
  });

  it('review cases: keeps different things asked for apart, and real commitments near the new cues', async () => {
    const pad = [buyer('Okay.'), host('Good.'), buyer('Right.'), host('Sure.'), buyer('Fine.')];
    const texts = async (...t: TranscriptTurn[]) => (await analyse(t)).action_items.map((i) => i.text);
    expect(
      await texts(
        host("I'll send the quote for fifty seats tomorrow."),
        host("I'll send the case study to your CFO."),
        host("I'll schedule the technical workshop."),
        host("I'll have Priya reach out to you."),
        ...pad,
        host("I'll send the quote for eighty seats on Monday."),
        host("I'll send the case study to Jonas."),
        host("I'll send the agenda for the technical workshop by Friday."),
        host("I'll have Marco reach out to you about billing."),
      ),
    ).toHaveLength(8);
    // A person met is not the thing made before; "find out" and "pull together" are one verb each.
    expect(
      await texts(host("I'll put together the business case numbers, and I'll call him tomorrow.")),
    ).toContain('Call him');
    expect(
      await texts(host("I'll pull together the usage numbers, and I'll send them over by Friday.")),
    ).toContain('Send the usage numbers');
    // "then I can" after the speaker's own step, "take the train" in a purpose clause, talking
    // with someone, training given, Tom.
    expect(
      await texts(
        host(
          'Let me confirm the discount with finance today, then I can send you the revised quote by Thursday.',
        ),
        host("I'll send you the directions so your team can take the train from the airport."),
        host("I'll talk Jonas through the pricing on Thursday."),
        host("I'll give your team a full day of onsite training next month."),
        buyer('And the invoice?'),
        host("I'll have Tom reach out to you about the invoice."),
      ),
    ).toEqual([
      'Confirm the discount with finance',
      'Send the revised quote',
      'Send the directions',
      'Talk Jonas through the pricing',
      'Give your team a full day of onsite training',
      'Have Tom reach out to Katrin about the invoice',
    ]);
  });

  it('keeps two sizes of one document apart when said close together, and one document restated with its date together', async () => {
    const a = await analyse([
      buyer('We need a quote for 50 seats and one for 80 seats.'),
      host("I'll send the 50-seat quote tomorrow."),
      host("And I'll send the 80-seat quote on Monday."),
      buyer('And the revised quote with the 15% discount?'),
      host("I'll send the revised quote with the 15% discount by Friday."),
      host('So the revised quote goes out by the 13th.'),
    ]);
    const texts = a.action_items.map((i) => i.text);
    expect(texts).toContain('Send the 50-seat quote');
    expect(texts).toContain('Send the 80-seat quote');
    expect(texts.filter((t) => /revised quote/.test(t))).toHaveLength(1);
  });

  it('keeps apart the same kind of thing for two places or two sizes, however far apart', async () => {
    const a = await analyse([
      buyer('We need pricing per site.'),
      host("I'll send the pricing for the Berlin site by Friday."),
      buyer('And a quote for 50 seats and one for 80 seats.'),
      host("I'll send the 50-seat quote tomorrow."),
      buyer('Good.'),
      host('Anything else?'),
      buyer('Not for now.'),
      host('Then one last thing.'),
      host("I'll send the pricing for the Munich site next week."),
      host("And I'll send the 80-seat quote on Monday."),
    ]);
    expect(a.action_items.map((i) => i.text).sort()).toEqual([
      'Send the 50-seat quote',
      'Send the 80-seat quote',
      'Send the pricing for the Berlin site',
      'Send the pricing for the Munich site',
    ]);
  });
});

/** A Czech pipeline with a verbal-yes step before the contract. */
const cz = [
  'Kvalifikace',
  'Analýza potřeb',
  'Demo',
  'Nabídka',
  'Ústní souhlas',
  'Smlouva',
  'Vyhráno',
  'Prohráno',
];

describe('stage suggestions', () => {
  const german = ['Qualifizierung', 'Bedarfsanalyse', 'Angebot', 'Verhandlung', 'Gewonnen', 'Verloren'];

  it('reads a step asked for in plain words: something to sign, a month on it, the lawyers, showing it to the team', async () => {
    const pipeline = [
      'Discovery',
      'Demo',
      'Trial',
      'Proposal',
      'Legal Review',
      'Verbal Commit',
      'Closed Won',
      'Closed Lost',
    ];
    const at = async (current: string, ...t: TranscriptTurn[]) =>
      (await analyse(t, { stages: pipeline, current_stage: current })).stage_suggestion?.stage;
    expect(
      await at(
        'Proposal',
        buyer("I don't want to haggle. Send me something I can sign."),
        host('I will send the agreement on Monday.'),
        buyer("Then we're agreed."),
      ),
    ).toBe('Legal Review');
    expect(
      await at(
        'Demo',
        buyer("Let's put our two warehouses on it for a month."),
        host('Great, I will set them up.'),
      ),
    ).toBe('Trial');
    expect(
      await at(
        'Proposal',
        buyer('The price is accepted.'),
        buyer('Our law firm in Munich will want to see your terms before anything else.'),
      ),
    ).toBe('Legal Review');
    expect(
      await at(
        'Discovery',
        buyer('I want my shift leads and the planners to see it.'),
        host('Then I will show them their own warehouse next Tuesday.'),
      ),
    ).toBe('Demo');
  });

  it('review cases: a need, a budget approved, an NDA, procurement as a process, the report shown, are no step', async () => {
    const pipeline = [
      'Qualification',
      'Discovery',
      'Demo',
      'Trial',
      'Proposal',
      'Contract Sent',
      'Closed Won',
      'Closed Lost',
    ];
    for (const [current, text] of [
      ['Discovery', "We need you to be SOC 2 certified, that's a hard requirement."],
      ['Demo', "We've been on it for six months and I want to get off it."],
      ['Demo', 'The board approved the budget for a different project, so we need to find money elsewhere.'],
      ['Demo', "I think we're agreed we need a second demo with the warehouse people."],
      ['Discovery', 'Send me the NDA, something I can sign today.'],
      ['Discovery', 'Once we pick a vendor, procurement takes over, and we need to give them three quotes.'],
      ['Discovery', 'We are still in our own contract with the current vendor until March.'],
      ['Discovery', 'I need to show them the report from last quarter first.'],
      ['Discovery', 'I want to show it to the board next week.'],
    ] as const) {
      const a = await analyse([buyer(text)], { stages: pipeline, current_stage: current });
      expect(a.stage_suggestion?.stage, text).toBe(current);
    }
  });

  it('does not move on a step only imagined, refused or offered by the seller as a question', async () => {
    const pipeline = ['Discovery', 'Demo', 'Pilot', 'Proposal', 'Closed Won', 'Closed Lost'];
    const a = await analyse(
      [
        buyer('If we ever get to a pilot, how would it work?'),
        buyer("Let's not buy tablets for a pilot we don't have."),
        host('I could write up a short pilot outline?'),
      ],
      { stages: pipeline, current_stage: 'Discovery' },
    );
    expect(a.stage_suggestion?.stage).toBe('Discovery');
  });

  it('suggests the won stage when the buyer says the order was signed', async () => {
    const a = await analyse(
      [
        host('How did it go with the board?'),
        buyer('Good news: we countersigned the order form this morning.'),
      ],
      { stages: german, current_stage: 'Verhandlung' },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Gewonnen' });
    expect(a.stage_suggestion!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it('does not call a deal won when the buyer signed with someone else', async () => {
    const a = await analyse(
      [
        host('Where are you with the decision?'),
        buyer(
          'We decided to stay with our current vendor; we signed the renewal contract with them last week.',
        ),
      ],
      { stages: german, current_stage: 'Angebot' },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Verloren' });
  });

  it('reads a project called off as lost, a failed demo as back to the demo, an architecture to approve as back to the technical step', async () => {
    const cancelled = await analyse(
      [
        buyer('Head office froze all IT investment, so unfortunately the project is cancelled.'),
        buyer('We are not going with anyone. The project itself is stopped.'),
      ],
      { stages: cz, current_stage: 'Nabídka' },
    );
    expect(cancelled.stage_suggestion).toMatchObject({ stage: 'Prohráno' });
    expect(cancelled.stage_suggestion!.confidence).toBeGreaterThanOrEqual(0.6);
    const failed = await analyse(
      [
        host('Okay, restarted. Now it authenticates, but it times out on the order endpoint.'),
        buyer("I can't take the offer to the board based on slides. Can we do this again?"),
      ],
      { stages: cz, current_stage: 'Nabídka' },
    );
    expect(failed.stage_suggestion).toMatchObject({ stage: 'Demo' });
    const hu = [
      'Minősítés',
      'Igényfelmérés',
      'Műszaki megoldás',
      'Ajánlat',
      'Tárgyalás',
      'Megnyert',
      'Elvesztett',
    ];
    const architecture = await analyse(
      [
        buyer("I can't send the purchase order until group IT has approved the architecture."),
        buyer("This is not political, it's a technical review."),
      ],
      { stages: hu, current_stage: 'Tárgyalás' },
    );
    expect(architecture.stage_suggestion).toMatchObject({ stage: 'Műszaki megoldás' });
  });

  it('review cases: a pilot to go ahead with, money saved, an architecture of their own, a failed import of theirs are no moves', async () => {
    const zoho = pipelines[0]!.stages;
    const stages = [
      'Needs Analysis',
      'Demo',
      'Technical Evaluation',
      'Proposal',
      'Contract Sent',
      'Negotiation',
      'Closed Won',
      'Closed Lost',
    ];
    const pilot = await analyse(
      [
        buyer('We want to go ahead with a three-month pilot.'),
        buyer('We are ready to proceed with the paid pilot in April.'),
      ],
      { stages, current_stage: 'Technical Evaluation' },
    );
    expect(pilot.stage_suggestion?.stage).not.toBe('Contract Sent');
    const roi = await analyse(
      [
        buyer('It would take thirty percent off our month-end close.'),
        buyer('Our current vendor announced a price increase.'),
      ],
      { stages: zoho, current_stage: 'Needs Analysis' },
    );
    expect(roi.stage_suggestion?.stage).toBe('Needs Analysis');
    const own = await analyse(
      [
        buyer('Our architect will review the architecture of every new tool.'),
        buyer('We design the architecture for each site ourselves.'),
      ],
      { stages, current_stage: 'Negotiation' },
    );
    expect(own.stage_suggestion?.stage).toBe('Negotiation');
    const theirs = await analyse(
      [buyer('Our current import failed twice during month end.'), buyer('We had to do it again by hand.')],
      { stages, current_stage: 'Proposal' },
    );
    expect(theirs.stage_suggestion?.stage).toBe('Proposal');
  });

  it('sends a deal lost to a competitor to the lost stage named for it, when the pipeline has one', async () => {
    const zoho = [...pipelines[0]!.stages, 'Closed Lost to Competition'];
    const rival = await analyse([buyer("I'll go straight to it: we've decided to stay with RutaSat.")], {
      stages: zoho,
      current_stage: 'Negotiation/Review',
    });
    expect(rival.stage_suggestion).toMatchObject({ stage: 'Closed Lost to Competition' });
    const cancelled = await analyse(
      [
        buyer('Every investment is frozen, and our project is cancelled.'),
        buyer('The project itself is stopped.'),
      ],
      { stages: zoho, current_stage: 'Negotiation/Review' },
    );
    expect(cancelled.stage_suggestion).toMatchObject({ stage: 'Closed Lost' });
  });

  it('sends "maybe another time" and staying with spreadsheets to the plain lost stage, wherever it stands', async () => {
    const stages = ['Discovery', 'Proposal', 'Closed Lost to Competition', 'Closed Lost', 'Closed Won'];
    for (const line of [
      'I think it is not for us, maybe another time. Not for us.',
      "We'll stick with what we have, spreadsheets work fine. No point going any further.",
    ]) {
      const a = await analyse([buyer(line)], { stages, current_stage: 'Proposal' });
      expect(a.stage_suggestion?.stage, line).not.toBe('Closed Lost to Competition');
    }
  });

  it('reads prices accepted as the verbal yes, and bargaining on the price as negotiation', async () => {
    const yes = await analyse(
      [
        buyer('We reviewed them. The price in your email is accepted. We want to proceed.'),
        host("I'll send you the contract by Friday."),
      ],
      { stages: cz, current_stage: 'Demo' },
    );
    expect(yes.stage_suggestion).toMatchObject({ stage: 'Ústní souhlas' });
    const renewals = pipelines[1]!.stages;
    const bargain = await analyse(
      [
        buyer(
          'Either two thousand seats at the current price, or twenty-four hundred with twelve percent off.',
        ),
        host('I could do more on the discount with a three-year term.'),
      ],
      {
        stages: [...renewals.slice(0, 2), 'Negotiation', ...renewals.slice(2)],
        current_stage: 'Renewal Quoted',
      },
    );
    expect(bargain.stage_suggestion).toMatchObject({ stage: 'Negotiation' });
  });

  it('does not call an approval "signed off" a win', async () => {
    const a = await analyse([host('Any news?'), buyer('Our CFO signed off on the proposal yesterday.')], {
      stages: german,
      current_stage: 'Verhandlung',
    });
    expect(a.stage_suggestion?.stage).not.toBe('Gewonnen');
  });

  it('does not take a past contract with someone else, a revised quote or a tool built from scratch as a move', async () => {
    const zoho = pipelines[0]!.stages;
    const past = await analyse([buyer('We signed a three-year contract with Orbe back in 2021.')], {
      stages: zoho,
      current_stage: 'Needs Analysis',
    });
    expect(past.stage_suggestion?.stage).toBe('Needs Analysis');
    const revised = await analyse([host("I'll send you the revised quote by Friday.")], {
      stages: zoho,
      current_stage: 'Negotiation/Review',
    });
    expect(revised.stage_suggestion?.stage).toBe('Negotiation/Review');
    const scratch = await analyse([buyer('Our current tool was built from scratch by an intern.')], {
      stages: zoho,
      current_stage: 'Proposal/Price Quote',
    });
    expect(scratch.stage_suggestion?.stage).toBe('Proposal/Price Quote');
  });

  it('does not move on a plan to sign', async () => {
    const a = await analyse([host('Next steps?'), buyer('We will sign the contract once legal is done.')], {
      stages: german,
      current_stage: 'Verhandlung',
    });
    expect(a.stage_suggestion).toMatchObject({ stage: 'Verhandlung' });
  });

  it('moves to the quote stage when the buyer asks for the quote, not when one is only imagined', async () => {
    const renewal = [
      'Renewal Upcoming',
      'Account Review',
      'Renewal Quote',
      'Negotiation',
      'Renewed',
      'Churned',
    ];
    const asked = await analyse([buyer('We want to renew, so I want the renewal quote.')], {
      stages: renewal,
      current_stage: 'Account Review',
    });
    // One statement, quoted once, the rationale saying what it is (not "2 statements").
    expect(asked.stage_suggestion).toMatchObject({
      stage: 'Renewal Quote',
      rationale: 'The buyer asked for it.',
      evidence: ['We want to renew, so I want the renewal quote.'],
    });
    const imagined = await analyse(
      [
        host('Would it help if I sent an indicative quote now?'),
        buyer('If a quote arrives without a business case, it sits in my inbox.'),
      ],
      { stages: renewal, current_stage: 'Account Review' },
    );
    expect(imagined.stage_suggestion).toMatchObject({ stage: 'Account Review' });
  });

  it('parks the deal where the pipeline has a stage for it', async () => {
    const a = await analyse(
      [
        host('Shall we plan the rollout?'),
        buyer('Honestly, the budget is on hold until next year.'),
        buyer('Keep us in mind and stay in touch.'),
      ],
      {
        stages: ['Discovery', 'Proposal', 'On Hold', 'Closed Won', 'Closed Lost'],
        current_stage: 'Proposal',
      },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'On Hold' });
  });

  it('moves back when the scope starts over', async () => {
    const a = await analyse(
      [
        buyer('Our requirements have changed with the two new warehouses.'),
        buyer('We need to start over and re-scope the project.'),
      ],
      {
        stages: ['Discovery', 'Demo', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
        current_stage: 'Proposal',
      },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Discovery' });
  });

  it('moves to the verbal-commit stage on a green light with the signature still to come', async () => {
    const a = await analyse(
      [
        buyer('The steering group gave us the green light.'),
        buyer('The contract goes to signature next week.'),
      ],
      {
        stages: ['Discovery', 'Proposal', 'Negotiation', 'Verbal Commit', 'Closed Won', 'Closed Lost'],
        current_stage: 'Negotiation',
      },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Verbal Commit' });
  });

  it('moves back to the security review, the nearest evaluation step, when security holds the contract', async () => {
    const a = await analyse(
      [
        buyer('Our security team found gaps in the answers.'),
        buyer("We can't go to contract until security signs off."),
      ],
      {
        stages: [
          'Discovery',
          'Technical Evaluation',
          'Proposal',
          'Security Review',
          'Negotiation',
          'Closed Won',
          'Closed Lost',
        ],
        current_stage: 'Negotiation',
      },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Security Review' });
  });

  it('neither loses the deal on "no point rushing it" nor negotiates on a revised proposal', async () => {
    const zoho = pipelines[0]!.stages;
    const a = await analyse(
      [
        buyer("I'm off next week, so there's no point you rushing it."),
        host("I'll send you a revised proposal with the trial extended."),
        buyer('A revised proposal, yes. And the revised proposal by Friday.'),
      ],
      { stages: zoho, current_stage: 'Proposal/Price Quote' },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Proposal/Price Quote' });
  });

  it('review cases: a failed pilot goes back to the pilot, not a later security review; questions about procurement and a DPA are no contract step', async () => {
    const back = await analyse(
      [buyer('The pilot failed its accuracy target.'), buyer('We need to rerun the pilot.')],
      {
        stages: [
          'Qualification',
          'Pilot',
          'Security Review',
          'Proposal',
          'Negotiation',
          'Closed Won',
          'Closed Lost',
        ],
        current_stage: 'Negotiation',
      },
    );
    expect(back.stage_suggestion).toMatchObject({ stage: 'Pilot' });
    const early = await analyse(
      [
        host('What does your procurement process look like?'),
        buyer("Our procurement team will want three quotes, and we'd need a DPA."),
        buyer("Then we'd need the green light from the board."),
      ],
      {
        stages: ['Needs Analysis', 'Proposal', 'Negotiation', 'Verbal Commit', 'Closed Won', 'Closed Lost'],
        current_stage: 'Needs Analysis',
      },
    );
    expect(early.stage_suggestion?.stage).not.toBe('Verbal Commit');
  });

  it('keeps the stage when a later step is mentioned only to say it is not there yet', async () => {
    const a = await analyse(
      [
        buyer("Just so we're clear, we're not at the negotiating stage."),
        buyer('We are not negotiating anything yet.'),
      ],
      {
        stages: ['Discovery', 'Proposal', 'Negotiation', 'Closed Won', 'Closed Lost'],
        current_stage: 'Proposal',
      },
    );
    expect(a.stage_suggestion).toMatchObject({ stage: 'Proposal' });
  });
});
