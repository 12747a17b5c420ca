import { z } from 'zod';

/**
 * Sandbox mode only: records put into a sandbox org the way a person would in Zoho's UI,
 * through the sandbox's own admin API (no credits, no call log). This is not a way to Zoho:
 * PepoSmart's own reads and writes still go through the Zoho client only.
 */
export type ExistingCustomer =
  | { ok: true }
  | { ok: false; code: 'stage_missing' | 'is_lead' | 'refused' | 'unavailable'; reason: string };

const writeResults = z.object({
  data: z
    .array(
      z.object({
        status: z.string(),
        code: z.string(),
        message: z.string().optional(),
        details: z.object({ id: z.string().optional(), api_name: z.string().optional() }).loose().optional(),
      }),
    )
    .min(1),
});
type WriteResult = z.infer<typeof writeResults>['data'][number];

const listed = (module: 'Contacts' | 'Leads') =>
  z.object({
    records: z.object({
      [module]: z.array(z.object({ id: z.string(), Email: z.string().nullish() }).loose()),
    }),
  });

class SandboxUnavailable extends Error {}

/**
 * The attendee as an existing customer: a Contact (the one with this email, else a new one)
 * with a new open deal at `stage` of the org's default pipeline, owned by `ownerEmail`.
 * Nothing is created when the deal cannot be, or when the email is a Lead's (PepoSmart would
 * log on the Lead, which has no deals).
 */
export async function addExistingCustomer(
  sandboxUrl: string,
  orgId: string,
  input: { name: string; email: string; dealName: string; stage: string; ownerEmail: string | undefined },
): Promise<ExistingCustomer> {
  const base = `${sandboxUrl}/__sandbox/orgs/${encodeURIComponent(orgId)}/records`;
  const owner = input.ownerEmail ? { user_email: input.ownerEmail } : {};
  try {
    const email = input.email.toLowerCase();
    const withEmail = async (module: 'Contacts' | 'Leads') =>
      listed(module)
        .parse(await call(`${base}?module=${module}`))
        .records[module]!.find((r) => r.Email?.toLowerCase() === email);
    const contact = await withEmail('Contacts');
    if (!contact && (await withEmail('Leads')))
      return {
        ok: false,
        code: 'is_lead',
        reason: "the attendee's email is a Lead's in the org: Leads have no deals",
      };

    // The deal first: a stage the pipeline lacks then leaves nothing behind.
    const deal = await seed(base, {
      module: 'Deals',
      ...owner,
      data: [{ Deal_Name: input.dealName, Stage: input.stage }],
    });
    if (deal.status !== 'success' || !deal.details?.id)
      return deal.details?.api_name === 'Stage'
        ? {
            ok: false,
            code: 'stage_missing',
            reason: `the org's default pipeline has no stage “${input.stage}”, the stage this sample's deal is at`,
          }
        : {
            ok: false,
            code: 'refused',
            reason: `the sandbox refused the Deal: ${deal.message ?? deal.code}`,
          };
    const dealId = deal.details.id;

    let contactId = contact?.id;
    if (!contactId) {
      const [first, ...rest] = input.name.trim().split(/\s+/);
      const created = await seed(base, {
        module: 'Contacts',
        ...owner,
        data: [
          {
            First_Name: rest.length ? first : null,
            Last_Name: rest.length ? rest.join(' ') : first || input.email.split('@')[0],
            Email: input.email,
            Description: 'Added by the Try it panel as an existing customer (sandbox mode).',
          },
        ],
      });
      if (created.status !== 'success' || !created.details?.id)
        return {
          ok: false,
          code: 'refused',
          reason: `the sandbox refused the Contact: ${created.message ?? created.code}`,
        };
      contactId = created.details.id;
    }
    const linked = writeResults.parse(
      await call(`${base}/Deals/${dealId}`, 'PATCH', { Contact_Name: contactId }),
    );
    if (linked.data[0]!.status !== 'success')
      return {
        ok: false,
        code: 'refused',
        reason: `the sandbox refused to link the Deal: ${linked.data[0]!.code}`,
      };
    return { ok: true };
  } catch (err) {
    if (err instanceof SandboxUnavailable || err instanceof z.ZodError)
      return { ok: false, code: 'unavailable', reason: err.message };
    throw err;
  }
}

async function seed(base: string, body: Record<string, unknown>): Promise<WriteResult> {
  return writeResults.parse(await call(base, 'POST', body)).data[0]!;
}

async function call(url: string, method = 'GET', body?: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    throw new SandboxUnavailable(`the Zoho sandbox did not answer (${(err as Error).message})`);
  }
  if (!res.ok)
    throw new SandboxUnavailable(
      `the Zoho sandbox answered ${res.status} to ${method} ${new URL(url).pathname}`,
    );
  return res.json();
}
