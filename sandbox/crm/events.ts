import { type RecordError, recordError } from '../errors.ts';

/**
 * A meeting cannot end before it starts. Zoho refuses it as INVALID_DATA naming
 * End_DateTime (sandbox guess: the code and field follow Zoho's per-field errors; the
 * message is the sandbox's own, no source quotes Zoho's).
 */
export function checkEventTimes(fields: Record<string, unknown>, index: number): RecordError | undefined {
  const start = Date.parse(String(fields['Start_DateTime'] ?? ''));
  const end = Date.parse(String(fields['End_DateTime'] ?? ''));
  if (Number.isNaN(start) || Number.isNaN(end) || end >= start) return undefined;
  return recordError('INVALID_DATA', 'End_DateTime should be greater than Start_DateTime', {
    api_name: 'End_DateTime',
    json_path: `$.data[${index}].End_DateTime`,
  });
}
