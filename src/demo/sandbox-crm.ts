import { AppError } from '../errors.ts';

/**
 * Sandbox mode only: records put into a sandbox org the way a person would in Zoho's UI,
 * through the sandbox's own admin API (no credits, no call log). This is not a way to Zoho:
 * PepoSmart's own reads and writes still go through the Zoho client only.
 */
export type ExistingCustomer =
  | { ok: true; contactId: string; contactCreated: boolean; dealId: string; dealName: string; stage: string }
  | { ok: false; code: 'stage_missing' | 'refused'; reason: string };

interface WriteResult {
  status: string;
  code: string;
  message?: string;
  details?: { id?: string; api_name?: string };
}

export async function addExistingCustomer(
  sandboxUrl: string,
  orgId: string,
  input: { name: string; email: string; dealName: string; stage: string },
): Promise<ExistingCustomer> {
  const base = `${sandboxUrl}/__sandbox/orgs/${encodeURIComponent(orgId)}/records`;
  const contacts = await call<{ records: { Contacts: Array<{ id: string; Email: string | null }> } }>(
    `${base}?module=Contacts`,
  );
  const email = input.email.toLowerCase();
  const known = contacts.records.Contacts.find((c) => c.Email?.toLowerCase() === email);
  let contactId = known?.id;
  if (!contactId) {
    const [first, ...rest] = input.name.trim().split(/\s+/);
    const created = await seed(base, 'Contacts', {
      First_Name: rest.length ? first : null,
      Last_Name: rest.length ? rest.join(' ') : first || input.email.split('@')[0],
      Email: input.email,
      Description: 'Added by the Try it panel as an existing customer (sandbox mode).',
    });
    if (created.status !== 'success' || !created.details?.id)
      return {
        ok: false,
        code: 'refused',
        reason: `the sandbox refused the Contact: ${created.message ?? created.code}`,
      };
    contactId = created.details.id;
  }
  const deal = await seed(base, 'Deals', {
    Deal_Name: input.dealName,
    Stage: input.stage,
    Contact_Name: contactId,
  });
  if (deal.status !== 'success' || !deal.details?.id) {
    return deal.details?.api_name === 'Stage'
      ? {
          ok: false,
          code: 'stage_missing',
          reason: `the org's default pipeline has no stage “${input.stage}”, the stage this sample's deal is at`,
        }
      : { ok: false, code: 'refused', reason: `the sandbox refused the Deal: ${deal.message ?? deal.code}` };
  }
  return {
    ok: true,
    contactId,
    contactCreated: !known,
    dealId: deal.details.id,
    dealName: input.dealName,
    stage: input.stage,
  };
}

async function seed(base: string, module: string, fields: Record<string, unknown>): Promise<WriteResult> {
  const body = await call<{ data: WriteResult[] }>(base, { module, data: [fields] });
  return body.data[0]!;
}

async function call<T>(url: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new AppError('internal', 'The Zoho sandbox did not answer', { cause: err });
  }
  if (!res.ok)
    throw new AppError('internal', `The Zoho sandbox answered ${res.status} to ${new URL(url).pathname}`);
  return (await res.json()) as T;
}
