import type { Deal, Pipeline, ZohoDeals } from '../zoho/deals.ts';
import type { AuthSource } from '../zoho/transport.ts';

/**
 * The deals a meeting may move: the contact's open deals (a deal at a closed stage — forecast
 * type Closed Won or Closed Lost — is never touched), each with its pipeline's stages. The most
 * relevant one is the deal worked on last (latest Modified_Time), then the one closing soonest;
 * the others are offered on the suggestion so the user can pick another.
 */
export interface DealWithStages extends Deal {
  pipelineName: string;
  stages: Pipeline['stages'];
}

export const relevanceRule =
  'Suggested on the contact’s open deal changed most recently in Zoho CRM (then the one closing soonest).';

export async function openDealsOf(
  deals: ZohoDeals,
  auth: AuthSource,
  contactId: string,
): Promise<DealWithStages[]> {
  const all = await deals.ofContact(auth, contactId);
  if (!all.length) return [];
  const pipelines = await deals.pipelines(auth);
  const withStages: DealWithStages[] = [];
  for (const d of all) {
    const pipeline =
      pipelines.find((p) => p.name === d.pipeline) ??
      pipelines.find((p) => p.stages.some((s) => s.name === d.stage));
    if (!pipeline) continue;
    const at = pipeline.stages.find((s) => s.name === d.stage);
    if (!at || at.closed) continue;
    withStages.push({ ...d, pipelineName: pipeline.name, stages: pipeline.stages });
  }
  return withStages.sort(
    (a, b) =>
      (b.modifiedTime ? Date.parse(b.modifiedTime) : 0) - (a.modifiedTime ? Date.parse(a.modifiedTime) : 0) ||
      (a.closingDate ?? '9999').localeCompare(b.closingDate ?? '9999'),
  );
}
