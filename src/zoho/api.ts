import { z } from 'zod';
import { type Edition, editionOf } from './editions.ts';
import { ZohoError } from './errors.ts';
import { createZohoEvents } from './events.ts';
import { createZohoFields } from './fields.ts';
import type { AuthSource, ZohoTransport } from './transport.ts';

/** Endpoint functions over the transport; each parses what it reads (ZOHO-API.md §5). */
const currentUserReply = z.object({
  users: z
    .array(
      z.object({
        id: z.string(),
        full_name: z.string().optional(),
        first_name: z.string().nullish(),
        last_name: z.string().nullish(),
        email: z.string(),
      }),
    )
    .min(1),
});

const orgReply = z.object({
  org: z
    .array(
      z.object({
        id: z.string(),
        company_name: z.string().nullish(),
        domain_name: z.string().nullish(),
        license_details: z
          .object({
            paid: z.boolean().nullish(),
            paid_type: z.string().nullish(),
            trial_type: z.string().nullish(),
          })
          .nullish(),
      }),
    )
    .min(1),
});

export interface ZohoUser {
  id: string;
  name: string;
  email: string;
}

export interface ZohoOrg {
  id: string;
  name: string;
  /** From `license_details`; null when Zoho names one we do not know. */
  edition: Edition | null;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ZohoError('invalid', `Zoho CRM ${what}: unexpected reply shape`, { cause: parsed.error });
  return parsed.data;
}

export function createZohoApi(transport: ZohoTransport) {
  return {
    async currentUser(auth: AuthSource): Promise<ZohoUser> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: '/users',
        query: { type: 'CurrentUser' },
      });
      const user = parse(currentUserReply, body, 'current user').users[0]!;
      const name =
        user.full_name || [user.first_name, user.last_name].filter(Boolean).join(' ') || user.email;
      return { id: user.id, name, email: user.email };
    },

    async org(auth: AuthSource): Promise<ZohoOrg> {
      const org = parse(orgReply, await transport.request(auth, { method: 'GET', path: '/org' }), 'org')
        .org[0]!;
      return {
        id: org.id,
        name: org.company_name || org.domain_name || org.id,
        edition: editionOf(org.license_details),
      };
    },

    /**
     * One cheap read of a module: 204 (nothing there) and 200 both prove the profile may view
     * it; NO_PERMISSION says it may not.
     */
    async canView(auth: AuthSource, module: 'Contacts' | 'Leads'): Promise<void> {
      await transport.request(auth, {
        method: 'GET',
        path: `/${module}`,
        query: { fields: 'Email', per_page: 1 },
      });
    },
  };
}

export type ZohoApi = ReturnType<typeof createZohoApi>;

/** Zoho takes at most 100 records in one insert or update (ZOHO-API.md §4). */
export const MAX_RECORDS_PER_WRITE = 100;

/** One record's outcome of a write (ZOHO-API.md §4: per-record results). */
export type RecordResult =
  | { ok: true; id: string }
  | { ok: false; code: string; message: string; details: Record<string, unknown> };

const recordResults = z.object({
  data: z
    .array(
      z.object({
        code: z.string(),
        status: z.string(),
        message: z.string().optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .min(1),
});

const tasksReply = z.object({
  data: z.array(
    z.object({ id: z.string(), Subject: z.string().nullish(), Description: z.string().nullish() }),
  ),
  info: z.object({ more_records: z.boolean().optional() }).optional(),
});

const searchReply = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      Email: z.string().nullish(),
      Secondary_Email: z.string().nullish(),
      Modified_Time: z.string().nullish(),
    }),
  ),
});

const convertedReply = z.object({
  data: z.array(z.object({ $converted_detail: z.record(z.string(), z.unknown()).nullish() })).min(1),
});

/** Codes with which Zoho may refuse a record that is not there any more (v8 record errors). */
const goneCodes = new Set(['INVALID_DATA', 'NOT_FOUND', 'CONVERTED_RECORD', 'ID_ALREADY_CONVERTED']);

/** Note_Content is mandatory at Zoho (ZOHO-API.md §8): never empty; the title stands in. */
export const noteContent = (title: string, content: string): string => (content.trim() ? content : title);

/** A search hit: what is needed to tell whether it is the person asked for (ZOHO-API.md §8). */
export interface PersonHit {
  id: string;
  emails: string[];
  modifiedTime: string | null;
}

const notesReply = z.object({
  data: z.array(
    z.object({ id: z.string(), Note_Title: z.string().nullish(), Note_Content: z.string().nullish() }),
  ),
  info: z.object({ more_records: z.boolean().optional() }).optional(),
});

/**
 * Reads the per-record results of a write, in the order sent, from a success or a whole-call
 * 400/207; undefined when the body is not that shape (a success without its record's id too).
 */
export function recordResultsOf(body: unknown): RecordResult[] | undefined {
  const parsed = recordResults.safeParse(body);
  if (!parsed.success) return undefined;
  const results: RecordResult[] = [];
  for (const r of parsed.data.data) {
    if (r.status !== 'success')
      results.push({ ok: false, code: r.code, message: r.message ?? r.code, details: r.details ?? {} });
    else if (typeof r.details?.['id'] === 'string') results.push({ ok: true, id: r.details['id'] });
    else return undefined;
  }
  return results;
}

export const firstRecordResult = (body: unknown): RecordResult | undefined => recordResultsOf(body)?.[0];

export function createZohoRecords(transport: ZohoTransport) {
  /** A write of `count` records: one result each, in the order sent. */
  async function writeAll(
    auth: AuthSource,
    path: string,
    body: object,
    count: number,
  ): Promise<RecordResult[]> {
    let reply: unknown;
    try {
      reply = await transport.request(auth, { method: 'POST', path, body });
    } catch (err) {
      const perRecord =
        err instanceof ZohoError && err.status === 400 ? recordResultsOf(err.body) : undefined;
      if (perRecord?.length === count) return perRecord;
      throw err;
    }
    const results = recordResultsOf(reply);
    // Zoho said yes but we cannot tell to what: records may exist, so the outcome is unknown
    // (transient: a create is then looked for before it is sent again), never "refused".
    if (results?.length !== count)
      throw new ZohoError(
        'transient',
        `Zoho CRM ${path}: a success reply we cannot read; its outcome is unknown`,
      );
    return results;
  }
  const write = async (auth: AuthSource, path: string, body: object): Promise<RecordResult> =>
    (await writeAll(auth, path, body, 1))[0]!;

  /** A record's related list, page by page (200 a page) while Zoho says there are more; [] on 204. */
  async function related<T>(
    auth: AuthSource,
    parent: { module: string; id: string },
    list: string,
    fields: string,
    reply: z.ZodType<{ data: T[]; info?: { more_records?: boolean | undefined } | undefined }>,
    pages: number,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; page <= pages; page++) {
      const body = await transport.request(auth, {
        method: 'GET',
        path: `/${parent.module}/${parent.id}/${list}`,
        query: { fields, per_page: 200, page },
      });
      if (body === undefined) break;
      const parsed = reply.safeParse(body);
      if (!parsed.success) throw new ZohoError('invalid', `Zoho CRM ${list}: unexpected reply shape`);
      out.push(...parsed.data.data);
      if (!parsed.data.info?.more_records) break;
    }
    return out;
  }

  return {
    ...createZohoFields(transport),
    /** Meetings (the Events module), used when the user turned Meetings on (events.ts). */
    events: createZohoEvents(transport),
    /**
     * The module's records Zoho's search finds for this email; [] on 204. Zoho matches loosely
     * (an address that only contains this one, any email field; ZOHO-API.md §8): the caller
     * decides which hit, if any, is the person.
     */
    async searchByEmail(auth: AuthSource, module: 'Contacts' | 'Leads', email: string): Promise<PersonHit[]> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: `/${module}/search`,
        query: { email, fields: 'Email,Secondary_Email,Modified_Time' },
      });
      if (body === undefined) return [];
      const parsed = searchReply.safeParse(body);
      if (!parsed.success)
        throw new ZohoError('invalid', `Zoho CRM ${module} search: unexpected reply shape`);
      return parsed.data.data.map((r) => ({
        id: r.id,
        emails: [r.Email, r.Secondary_Email].filter((x): x is string => Boolean(x)),
        modifiedTime: r.Modified_Time ?? null,
      }));
    },

    /**
     * Whether the record is still there: Zoho answers 204 for one deleted, merged away or
     * converted (ZOHO-API.md §8); a refusal naming the id says the same in another way.
     */
    async exists(auth: AuthSource, record: { module: string; id: string }): Promise<boolean> {
      try {
        const body = await transport.request(auth, { method: 'GET', path: `/${record.module}/${record.id}` });
        return body !== undefined;
      } catch (err) {
        if (err instanceof ZohoError && (err.kind === 'not_found' || goneCodes.has(err.zohoCode ?? '')))
          return false;
        throw err;
      }
    },

    /**
     * The Contact a converted Lead became: a converted Lead is read only with `converted=true`,
     * and carries `$converted_detail` naming what it became (ZOHO-API.md §8; its keys are seen
     * lower-case, a value an id or `{ id }`). Undefined when Zoho does not say.
     */
    async convertedContact(auth: AuthSource, leadId: string): Promise<string | undefined> {
      const body = await transport.request(auth, {
        method: 'GET',
        path: `/Leads/${leadId}`,
        query: { converted: 'true' },
      });
      const parsed = convertedReply.safeParse(body);
      if (!parsed.success) return undefined;
      const detail = parsed.data.data[0]?.$converted_detail ?? {};
      const contact = Object.entries(detail).find(([k]) => k.toLowerCase() === 'contact')?.[1];
      const id = typeof contact === 'string' ? contact : (contact as { id?: unknown } | null)?.id;
      return typeof id === 'string' && /^\d+$/.test(id) ? id : undefined;
    },

    /** The record's Notes, newest first, up to `pages` pages of 200; [] on 204. */
    async notesOn(
      auth: AuthSource,
      parent: { module: string; id: string },
      pages = 3,
    ): Promise<Array<{ id: string; title: string; content: string }>> {
      const rows = await related(auth, parent, 'Notes', 'Note_Title,Note_Content', notesReply, pages);
      return rows.map((n) => ({ id: n.id, title: n.Note_Title ?? '', content: n.Note_Content ?? '' }));
    },

    /** `trigger: []` keeps the org's workflow rules from firing on our write (ZOHO-API.md §4). */
    insert(auth: AuthSource, module: string, record: Record<string, unknown>, trigger?: string[]) {
      return write(auth, `/${module}`, { data: [record], ...(trigger ? { trigger } : {}) });
    },

    /**
     * Tasks linked to a Contact (`Who_Id`) or a Lead (`What_Id` + `$se_module`), as ZOHO-API.md §5
     * says; Status and Priority must be Zoho's own values. Up to 100 in one call (an insert costs a
     * credit per 10 records, ZOHO-API.md §6): one result each, in order.
     */
    tasks(
      auth: AuthSource,
      parent: { module: 'Contacts' | 'Leads'; id: string },
      tasks: ReadonlyArray<{
        subject: string;
        dueDate: string;
        priority: string;
        description: string;
        ownerId: string | null;
      }>,
      trigger?: string[],
    ): Promise<RecordResult[]> {
      if (tasks.length < 1 || tasks.length > MAX_RECORDS_PER_WRITE)
        throw new RangeError(`1 to ${MAX_RECORDS_PER_WRITE} tasks per call, not ${tasks.length}`);
      const link =
        parent.module === 'Contacts'
          ? { Who_Id: { id: parent.id } }
          : { What_Id: { id: parent.id }, $se_module: parent.module };
      return writeAll(
        auth,
        '/Tasks',
        {
          ...(trigger ? { trigger } : {}),
          data: tasks.map((task) => ({
            Subject: task.subject,
            Due_Date: task.dueDate,
            Priority: task.priority,
            Status: 'Not Started',
            Description: task.description,
            ...link,
            ...(task.ownerId ? { Owner: { id: task.ownerId } } : {}),
          })),
        },
        tasks.length,
      );
    },

    /** The record's Tasks, up to `pages` pages of 200, for looking one up after an unanswered create. */
    async tasksOn(
      auth: AuthSource,
      parent: { module: string; id: string },
      pages = 5,
    ): Promise<Array<{ id: string; subject: string; description: string }>> {
      const rows = await related(auth, parent, 'Tasks', 'Subject,Description', tasksReply, pages);
      return rows.map((t) => ({ id: t.id, subject: t.Subject ?? '', description: t.Description ?? '' }));
    },

    note(
      auth: AuthSource,
      parent: { module: string; id: string },
      title: string,
      content: string,
      trigger?: string[],
    ) {
      return write(auth, '/Notes', {
        ...(trigger ? { trigger } : {}),
        data: [
          {
            Note_Title: title,
            Note_Content: noteContent(title, content),
            Parent_Id: { module: { api_name: parent.module }, id: parent.id },
          },
        ],
      });
    },
  };
}

export type ZohoRecords = ReturnType<typeof createZohoRecords>;
