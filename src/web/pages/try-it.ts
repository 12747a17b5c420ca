import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type Connection, type ConnectionSettings, findConnection } from '../../connections/repo.ts';
import { type SampleMeeting, sampleAttendee } from '../../demo/samples.ts';
import { type DealOutcome, newTryId, tryEventIds, tryIdPattern, tryIt } from '../../demo/try-it.ts';
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
  ].filter((x): x is string => Boolean(x));
}

export function tryItPanel(
  samples: readonly SampleMeeting[],
  csrf: string,
  settings: ConnectionSettings,
  values?: FormValues,
  problems: ReadonlyArray<{ path: string; message: string }> = [],
): Html {
  const first = samples[0];
  if (!first) return html``;
  const v = values ?? { tryId: newTryId(), sample: first.id, ...sampleAttendee(first), withDeal: true };
  const problem = (field: string) =>
    problems.filter((p) => p.path === field).map((p) => html`<span class="field-error">${p.message}</span>`);
  const off = settingsOff(settings);
  return html`<h2>Try it</h2>
<section class="card" id="try-it">
<p>Sandbox mode: send a demo booking with an attendee of your choosing, then its meeting notes with a
sample transcript, through the same signed event API the scheduling platform uses. The Contact, the Notes
and the Tasks appear in the sandbox org and on the Activity page, and, when the meeting points the deal to
another stage, a suggestion on the Suggestions page.</p>
${off.length ? html`<p class="hint" id="try-it-settings">Switched off in your settings above, so left out: ${off.join('; ')}.</p>` : ''}
${problems.length ? html`<div class="problem" id="try-it-problems">Check the fields marked below.</div>` : ''}
<form method="post" action="/integrations/try-it"><input type="hidden" name="_csrf" value="${csrf}">
<input type="hidden" name="try_id" value="${v.tryId}">
<label>Sample meeting <select name="sample" id="try-sample">${samples.map(
    (s) =>
      html`<option value="${s.id}"${s.id === v.sample ? html` selected` : ''}>${s.meeting.title} (deal at ${s.current_stage})</option>`,
  )}</select> ${problem('sample')}</label>
<label>Attendee name <input name="name" id="try-name" value="${v.name}" maxlength="200"> ${problem('name')}</label>
<label>Attendee email <input name="email" id="try-email" type="email" value="${v.email}" maxlength="254"> ${problem('email')}</label>
<label><input type="checkbox" name="with_deal" id="try-with-deal"${v.withDeal ? html` checked` : ''}>
Make them an existing customer first: a Contact with a new open deal at the sample's stage in the sandbox
org (without a deal there is no stage to suggest)</label>
<div class="actions"><button type="submit" id="try-send">Send the demo meeting</button> ${problem('try_id')}</div>
</form></section>`;
}

const form = z.object({
  try_id: z
    .string({ error: 'reload the page and send again' })
    .regex(tryIdPattern, 'reload the page and send again'),
  sample: z.string().min(1, 'choose a sample meeting'),
  name: z
    .string()
    .trim()
    .min(1, 'give the attendee a name')
    .max(200, 'at most 200 characters')
    .refine(storable, controlCharsMessage),
  email: z.string().trim().pipe(z.email('a valid email address')),
  with_deal: z.literal('on').optional(),
});

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
    ? html`<div class="problem" id="try-it-not-connected">Zoho CRM needs to be reconnected: reconnect on the <a href="/integrations">Integrations</a> page, then try again.</div>`
    : html`<div class="problem" id="try-it-not-connected">Connect Zoho CRM on the <a href="/integrations">Integrations</a> page first: the demo meeting is synced to the org you connect.</div>`;
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
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message }));
    if (!sample && !problems.some((p) => p.path === 'sample'))
      problems.push({ path: 'sample', message: 'choose one of the sample meetings' });
    if (parsed.success && parsed.data.email.toLowerCase() === user.email.toLowerCase())
      problems.push({ path: 'email', message: 'that is you, the host: choose someone else as the attendee' });
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const blocked = notReady(conn);
    if (!parsed.success || !sample || problems.length || blocked || !conn) {
      const page = html`<h1>Try it</h1>
${blocked ?? ''}
${conn ? tryItPanel(samples, pageUser.csrf, conn.settings, values, problems) : ''}`;
      return reply
        .code(blocked ? 409 : 400)
        .type('text/html')
        .send(layout('Try it', pageUser, '/integrations', page));
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
