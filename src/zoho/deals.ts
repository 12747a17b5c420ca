import { z } from 'zod';
import { firstRecordResult, type RecordResult } from './api.ts';
import { ZohoError } from './errors.ts';
import type { AuthSource, ZohoTransport } from './transport.ts';

/**
 * Deals, their pipelines and a stage change (ZOHO-API.md §5): a contact's deals
 * (`GET /Contacts/{id}/Deals`), the pipelines with their ordered stages per Deals layout
 * (`/settings/layouts?module=Deals`, `/settings/pipeline?layout_id=`), one deal, and
 * `PUT /Deals/{id}` `{ data: [{ Stage }] }` — which a Blueprint may refuse (RECORD_IN_BLUEPRINT).
 */
export interface Deal {
  id: string;
  name: string;
  stage: string;
  pipeline: string | null;
  closingDate: string | null;
  modifiedTime: string | null;
  /** In the org's currency; null when not set. */
  amount: number | null;
  /** The deal owner's name in Zoho CRM. */
  owner: string | null;
}

export interface Pipeline {
  name: string;
  stages: Array<{ name: string; closed: boolean }>;
}

const named = z.union([
  z.string(),
  z.object({ name: z.string().optional(), display_value: z.string().optional() }),
]);
const nameOf = (v: z.infer<typeof named> | null | undefined) =>
  v == null ? null : typeof v === 'string' ? v : (v.display_value ?? v.name ?? null);

const dealRow = z.object({
  id: z.string(),
  Deal_Name: z.string().nullish(),
  Stage: named.nullish(),
  Pipeline: named.nullish(),
  Closing_Date: z.string().nullish(),
  Modified_Time: z.string().nullish(),
  Amount: z.union([z.number(), z.string()]).nullish(),
  Owner: named.nullish(),
});
const dealsReply = z.object({ data: z.array(dealRow) });

const toDeal = (d: z.infer<typeof dealRow>): Deal => ({
  id: d.id,
  name: d.Deal_Name ?? d.id,
  stage: nameOf(d.Stage) ?? '',
  pipeline: nameOf(d.Pipeline),
  closingDate: d.Closing_Date ?? null,
  modifiedTime: d.Modified_Time ?? null,
  amount: d.Amount == null || !Number.isFinite(Number(d.Amount)) ? null : Number(d.Amount),
  owner: nameOf(d.Owner),
});

const layoutsReply = z.object({ layouts: z.array(z.object({ id: z.string() })) });
const pipelineReply = z.object({
  pipeline: z.array(
    z.object({
      display_value: z.string(),
      maps: z.array(
        z.object({
          display_value: z.string(),
          sequence_number: z.number().optional(),
          forecast_type: z.string().nullish(),
        }),
      ),
    }),
  ),
});

const fields = 'Deal_Name,Stage,Pipeline,Closing_Date,Modified_Time,Amount,Owner';

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ZohoError('invalid', `Zoho CRM ${what}: unexpected reply shape`);
  return parsed.data;
}

export function createZohoDeals(transport: ZohoTransport) {
  return {
    /** The deals whose Contact_Name is this contact; [] on 204. */
    async ofContact(auth: AuthSource, contactId: string): Promise<Deal[]> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: `/Contacts/${contactId}/Deals`,
        query: { fields, per_page: 200 },
      });
      return body === undefined ? [] : parse(dealsReply, body, 'deals').data.map(toDeal);
    },

    async get(auth: AuthSource, dealId: string): Promise<Deal | undefined> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: `/Deals/${dealId}`,
        query: { fields },
      });
      if (body === undefined) return undefined;
      return parse(dealsReply, body, 'deal').data.map(toDeal)[0];
    },

    /** Every pipeline of every Deals layout, stages in order; closed = forecast type Closed Won/Lost. */
    async pipelines(auth: AuthSource): Promise<Pipeline[]> {
      const layouts = parse(
        layoutsReply,
        await transport.request(auth, {
          method: 'GET',
          path: '/settings/layouts',
          query: { module: 'Deals' },
        }),
        'layouts',
      ).layouts;
      const byName = new Map<string, Pipeline>();
      for (const layout of layouts) {
        const reply = parse(
          pipelineReply,
          await transport.request(auth, {
            method: 'GET',
            path: '/settings/pipeline',
            query: { layout_id: layout.id },
          }),
          'pipelines',
        );
        for (const p of reply.pipeline) {
          if (byName.has(p.display_value)) continue;
          const maps = [...p.maps].sort((a, b) => (a.sequence_number ?? 0) - (b.sequence_number ?? 0));
          byName.set(p.display_value, {
            name: p.display_value,
            stages: maps.map((m) => ({
              name: m.display_value,
              closed: /closed/i.test(m.forecast_type ?? ''),
            })),
          });
        }
      }
      return [...byName.values()];
    },

    /** Moves the deal to `stage`; the per-record result says whether Zoho took it. */
    async setStage(
      auth: AuthSource,
      dealId: string,
      stage: string,
      trigger?: string[],
    ): Promise<RecordResult> {
      try {
        const result = firstRecordResult(
          await transport.request(auth, {
            method: 'PUT',
            path: `/Deals/${dealId}`,
            body: { data: [{ Stage: stage }], ...(trigger ? { trigger } : {}) },
          }),
        );
        if (!result) throw new ZohoError('invalid', 'Zoho CRM deal update: unexpected reply shape');
        return result;
      } catch (err) {
        const perRecord =
          err instanceof ZohoError && err.status === 400 ? firstRecordResult(err.body) : undefined;
        if (perRecord) return perRecord;
        throw err;
      }
    },
  };
}

export type ZohoDeals = ReturnType<typeof createZohoDeals>;
