import path from 'node:path';
import { type Fixture, loadFixtures } from '../analysis/eval.ts';

/**
 * Sample meetings for the sandbox's Try it panel: the labelled transcripts in
 * `fixtures/transcripts` (their format is in that folder's README), the same files the
 * analysis evaluation scores. The demo uses the meeting, the deal's stage and the transcript.
 */
export type SampleMeeting = Fixture & { id: string };

export const samplesDir = path.join(import.meta.dirname, '../../fixtures/transcripts');

/** Every sample in the folder, by file name; a file that is not one is an error, not skipped. */
export function loadSamples(dir = samplesDir): SampleMeeting[] {
  return loadFixtures(dir).map(({ file, fixture }) => ({
    ...fixture,
    id: fixture.id ?? path.parse(file).name,
  }));
}

/** The sample's first attendee, as a demo attendee: their name and a made-up address. */
export function sampleAttendee(sample: SampleMeeting): { name: string; email: string } {
  const name = sample.transcript.find((t) => t.role === 'attendee')?.speaker ?? 'Demo Attendee';
  const local = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z ]/g, '')
    .trim()
    .replace(/\s+/g, '.');
  return { name, email: `${local || 'demo'}@customer.example` };
}
