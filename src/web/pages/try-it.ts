import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Connection, type ConnectionSettings, findConnection } from '../../connections/repo.ts';
import { type SampleMeeting, sampleAttendee } from '../../demo/samples.ts';
import {
  type DealOutcome,
  newTryId,
  TRY_IT_EVENT_TYPE,
  tryEventIds,
  tryIdPattern,
  tryIt,
} from '../../demo/try-it.ts';
import { internalAttendee } from '../../sync/attendees.ts';
import { SIGNATURE_HEADER, signEvent } from '../../sync/signature.ts';
import { controlCharsMessage, storable } from '../../text.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';

/**
 * Sandbox mode only: the Try it panel on the Integrations page and its action, which sends a
 * demo booking and its meeting notes through the signed event API (DESIGN §2.4). The events
 * go in through the event API's own route (Fastify's inject: the signature and schema checks
 * run as for the platform's), not over the network, so no process has to reach its own URL.
 */
export interface TryItOptions {
  sandboxUrl: string;
  /** The event API's signing secret: the demo events are signed like the platform's. */
  secret: string;
}

interface FormValues {
  tryId: string;
  sample: string;
  name: string;
  email: string;
  withDeal: boolean;
}

/** Settings that leave part of the demo out, said on the panel before anything is sent. */
function settingsOff(s: ConnectionSettings): string[] {
  return [
    !s.syncBookings && 'booking sync (no booking Note)',
    !s.syncNotes && 'meeting notes sync (no summary Note, Tasks or suggestion)',
    s.syncNotes && !s.syncTasks && 'follow-up Tasks',
    s.syncNotes && !s.suggestDealStages && 'deal-stage suggestions',
    s.onlyExisting && 'creating attendees (“only log on existing records” is on)',
    s.eventTypes !== null &&
      !s.eventTypes.some((t) => t.id === TRY_IT_EVENT_TYPE.id) &&
      `everything: only chosen event types are synced, and the demo’s (“${TRY_IT_EVENT_TYPE.name}”) is not one of them`,
  ].filter((x): x is string => Boolean(x));
}

/** The sandbox's page of one org: its records and the latest API calls it received. */
export const sandboxOrgUrl = (sandboxUrl: string, orgId: string) =>
  `${sandboxUrl}/__sandbox/orgs/${encodeURIComponent(orgId)}/view`;

type Field = 'sample' | 'name' | 'email' | 'try_id';
interface Problem {
  path: string;
  message: string;
}

/** Where each field's message goes: the field's own id, or the Send button for the form's try id. */
const fieldIds: Record<Field, string> = {
  sample: 'try-sample',
  name: 'try-name',
  email: 'try-email',
  try_id: 'try-send',
};
const fieldOrder = Object.keys(fieldIds) as Field[];
const isField = (path: string): path is Field => Object.hasOwn(fieldIds, path);

/**
 * The form's errors as GOV.UK forms show them: a summary first, each entry a link to its field;
 * each field marked invalid, its message next to it and tied to it by aria-describedby.
 */
function fieldErrors(problems: readonly Problem[]) {
  const of = (field: Field) => problems.find((p) => p.path === field);
  const errorId = (field: Field) => `${fieldIds[field]}-error`;
  return {
    summary: problems.length
      ? html`<div class="problem" id="try-it-problems" role="alert"><strong>Check the fields marked below.</strong>
<ul class="entries">${fieldOrder.flatMap((f) => {
          const p = of(f);
          return p ? [html`<li><a href="#${fieldIds[f]}">${p.message}</a></li>`] : [];
        })}${problems.filter((p) => !isField(p.path)).map((p) => html`<li>${p.message}</li>`)}</ul></div>`
      : '',
    /** For a control that cannot be invalid itself (the Send button): only the pointer. */
    describedBy: (field: Field) => (of(field) ? html` aria-describedby="${errorId(field)}"` : ''),
    /** The attributes that mark a field invalid and point at its message. */
    attrs: (field: Field) =>
      of(field) ? html` aria-invalid="true" aria-describedby="${errorId(field)}"` : '',
    message: (field: Field) => {
      const p = of(field);
      return p ? html`<p class="field-error" id="${errorId(field)}">${p.message}</p>` : '';
    },
  };
}

export function tryItPanel(
  samples: readonly SampleMeeting[],
  csrf: string,
  settings: ConnectionSettings,
  options: { values?: FormValues; problems?: readonly Problem[]; orgUrl?: string | undefined } = {},
): Html {
  const first = samples[0];
  if (!first) return html``;
  const v = options.values ?? {
    tryId: newTryId(),
    sample: first.id,
    ...sampleAttendee(first),
    withDeal: true,
  };
  const e = fieldErrors(options.problems ?? []);
  const off = settingsOff(settings);
  const org = options.orgUrl
    ? html`<a href="${options.orgUrl}">your sandbox org’s page</a> (its records and the latest API calls it received)`
    : 'the sandbox org’s page';
  return html`<section class="card" id="try-it" aria-label="Try it">
<p>Sandbox mode: send a demo booking with an attendee of your choosing, then its meeting notes with a
sample transcript, through the same signed event API the scheduling platform uses. The Contact, the Notes
and the Tasks appear on ${org} and on the <a href="/activity">Activity</a> page, and, when the meeting points
the deal to another stage, a suggestion on the <a href="/suggestions">Suggestions</a> page.</p>
${off.length ? html`<p class="hint" id="try-it-settings">Switched off in your settings above, so left out: ${off.join('; ')}.</p>` : ''}
${e.summary}
<form method="post" action="/integrations/try-it" novalidate><input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="try_id" value="${v.tryId}">
<div><label for="try-sample">Sample meeting</label>${e.message('sample')}
<select name="sample" id="try-sample"${e.attrs('sample')}>${samples.map(
    (s) =>
      html`<option value="${s.id}"${s.id === v.sample ? html` selected` : ''}>${s.meeting.title} (deal at ${s.current_stage})</option>`,
  )}</select></div>
<div><label for="try-name">Attendee name</label>${e.message('name')}
<input type="text" name="name" id="try-name" value="${v.name}" maxlength="200" size="30" autocomplete="off"${e.attrs('name')}></div>
<div><label for="try-email">Attendee email</label>${e.message('email')}
<input type="email" name="email" id="try-email" value="${v.email}" maxlength="254" size="40" autocomplete="off" spellcheck="false"${e.attrs('email')}></div>
<label><input type="checkbox" name="with_deal" id="try-with-deal"${v.withDeal ? html` checked` : ''}>
Make them an existing customer first: a Contact with a new open deal at the sample's stage in the sandbox
org (without a deal there is no stage to suggest)</label>
${e.message('try_id')}
<div class="actions"><button type="submit" id="try-send"${e.describedBy('try_id')}>Send the demo meeting</button></div>
</form></section>`;
}

const form = z.object({
  try_id: z
    .string({ error: 'This form has expired: reload the page and send again' })
    .regex(tryIdPattern, 'This form has expired: reload the page and send again'),
  sample: z
    .string({ error: 'Choose one of the sample meetings' })
    .min(1, 'Choose one of the sample meetings'),
  name: z
    .string({ error: 'Enter the attendee’s name' })
    .trim()
    .min(1, 'Enter the attendee’s name')
    .max(200, 'The attendee’s name must be 200 characters or fewer')
    .refine(storable, `The attendee’s name ${controlCharsMessage}`),
  email: z
    .string({ error: 'Enter the attendee’s email address, like name@example.com' })
    .trim()
    .pipe(z.email('Enter the attendee’s email address, like name@example.com')),
  with_deal: z.literal('on', 'Tick the box or leave it clear').optional(),
});

/**
 * Attendees the demo must not use: the host, and the Zoho CRM user the connection acts as.
 * Either would put the meeting on the user's own record: PepoSmart would look the user up (or
 * add them) as their own customer.
 */
function ownAddress(
  email: string,
  user: { email: string },
  conn: Connection | undefined,
): string | undefined {
  const e = email.trim().toLowerCase();
  if (e === user.email.toLowerCase()) return 'That is you, the host: choose someone else as the attendee';
  const zoho = conn?.zohoUser?.email;
  if (zoho && e === zoho.toLowerCase())
    return `That is the Zoho CRM user you connected as (${zoho}): the meeting would be logged on yourself. Choose someone else as the attendee`;
  const colleague = conn ? internalAttendee(e, user.email, conn.settings) : undefined;
  if (colleague)
    return `That address counts as a colleague (${colleague.why}), and internal attendees are left out of Zoho CRM: choose someone outside your company`;
  return undefined;
}

const sent = 'The demo booking and its meeting notes were sent; they are listed below as they sync.';
const noDeal = `${sent} No deal was added:`;
const outcomes: Record<DealOutcome | 'duplicate', Html> = {
  deal: html`The attendee was added to the sandbox org as a Contact with a new open deal. ${sent} When the
meeting points the deal to another stage, a suggestion appears on <a href="/suggestions">Suggestions</a>.`,
  no_deal: html`${sent} No deal was added, so a suggestion can only be made on an open deal the attendee
already has.`,
  suggestions_off: html`${noDeal} meeting notes sync or deal-stage suggestions are switched off in your Zoho
CRM settings.`,
  stage_missing: html`${noDeal} the sandbox org's default pipeline has no stage this sample's deal is at.`,
  is_lead: html`${noDeal} this email is a Lead in the sandbox org, and Leads have no deals in Zoho CRM.`,
  refused: html`${noDeal} the sandbox org refused the demo Contact or Deal (the service's log says why).`,
  unavailable: html`${noDeal} the sandbox's admin API did not answer (the service's log says why).`,
  duplicate: html`This demo meeting was sent already; it is listed below.`,
};

/** The Activity page's notice after a try; `tried` is one of a few codes, never free text. */
export function tryItNotice(query: unknown): Html | undefined {
  const kind = String((query as Record<string, unknown> | undefined)?.['tried'] ?? '');
  if (!Object.hasOwn(outcomes, kind)) return undefined;
  return html`<div class="notice" id="try-it-notice">Try it: ${outcomes[kind as keyof typeof outcomes]}</div>`;
}

function notReady(conn: Connection | undefined): Html | undefined {
  if (conn?.status === 'connected' && conn.zohoOrg) return undefined;
  return conn?.status === 'reconnect_needed'
    ? html`<div class="problem" id="try-it-not-connected" role="alert">Zoho CRM needs to be reconnected: reconnect on the <a href="/integrations">Integrations</a> page, then try again.</div>`
    : html`<div class="problem" id="try-it-not-connected" role="alert">Connect Zoho CRM on the <a href="/integrations">Integrations</a> page first: the demo meeting is synced to the org you connect.</div>`;
}

export function registerTryIt(
  app: FastifyInstance,
  ctx: WebContext & { tryIt: NonNullable<WebContext['tryIt']> },
  options: TryItOptions,
) {
  const { samples } = ctx.tryIt;
  app.post('/integrations/try-it', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const pageUser = ctx.auth.pageUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: FormValues = {
      tryId: tryIdPattern.test(String(body['try_id'])) ? String(body['try_id']) : newTryId(),
      sample: String(body['sample'] ?? ''),
      name: String(body['name'] ?? ''),
      email: String(body['email'] ?? ''),
      withDeal: body['with_deal'] === 'on',
    };
    const parsed = form.safeParse(body);
    const sample = samples.find((s) => s.id === values.sample);
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const problems: Problem[] = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message }));
    if (!sample && !problems.some((p) => p.path === 'sample'))
      problems.push({ path: 'sample', message: 'Choose one of the sample meetings' });
    const own = problems.some((p) => p.path === 'email') ? undefined : ownAddress(values.email, user, conn);
    if (own) problems.push({ path: 'email', message: own });
    const blocked = notReady(conn);
    if (!parsed.success || !sample || problems.length || blocked || !conn) {
      const page = html`<h1>Try it</h1>
<p><a href="/integrations">Back to Integrations</a></p>
${blocked ?? ''}
${
  conn
    ? tryItPanel(samples, pageUser.csrf, conn.settings, {
        values,
        problems,
        orgUrl: conn.zohoOrg ? sandboxOrgUrl(options.sandboxUrl, conn.zohoOrg.id) : undefined,
      })
    : ''
}`;
      return reply
        .code(blocked ? 409 : 400)
        .type('text/html')
        .send(layout(problems.length ? 'Error: Try it' : 'Try it', pageUser, '/integrations', page));
    }

    const { rows } = await ctx.db.query('SELECT 1 FROM events WHERE workspace_id = $1 AND id = $2', [
      user.workspaceId,
      tryEventIds(parsed.data.try_id).booking,
    ]);
    if (rows.length) return reply.redirect('/activity?tried=duplicate', 303);

    const result = await tryIt(
      {
        sandboxUrl: options.sandboxUrl,
        now: () => ctx.clock.now(),
        sendEvent: async (raw) => {
          const res = await app.inject({
            method: 'POST',
            url: '/api/v1/events',
            headers: {
              'content-type': 'application/json',
              [SIGNATURE_HEADER]: signEvent(
                options.secret,
                raw,
                Math.floor(ctx.clock.now().getTime() / 1000),
              ),
            },
            payload: raw,
          });
          return { status: res.statusCode, body: res.body };
        },
      },
      {
        workspaceId: user.workspaceId,
        userId: user.id,
        email: user.email,
        name: user.name,
        zoho: { orgId: conn.zohoOrg!.id, userEmail: conn.zohoUser?.email },
        settings: conn.settings,
      },
      {
        tryId: parsed.data.try_id,
        sample,
        attendee: { name: parsed.data.name, email: parsed.data.email },
        withDeal: parsed.data.with_deal === 'on',
      },
    );
    if (result.reason)
      req.log.warn({ outcome: result.deal, reason: result.reason }, 'try it: no demo deal added');
    return reply.redirect(`/activity?tried=${result.deal}`, 303);
  });
}
