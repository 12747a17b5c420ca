import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { findConnection } from '../../connections/repo.ts';
import { type SampleMeeting, sampleAttendee } from '../../demo/samples.ts';
import { tryIt } from '../../demo/try-it.ts';
import { SIGNATURE_HEADER, signEvent } from '../../sync/signature.ts';
import type { WebContext } from '../context.ts';
import { type Html, html } from '../views/html.ts';
import { layout } from '../views/layout.ts';

/**
 * Sandbox mode only: the Try it panel on the Integrations page and its action, which sends a
 * demo booking and its meeting notes through the signed event API (DESIGN §2.4).
 */
export interface TryItOptions {
  samples: readonly SampleMeeting[];
  sandboxUrl: string;
  /** The event API's signing secret: the demo events are signed like the platform's. */
  secret: string;
}

interface FormValues {
  sample: string;
  name: string;
  email: string;
  withDeal: boolean;
}

export function tryItPanel(
  samples: readonly SampleMeeting[],
  csrf: string,
  values?: FormValues,
  problems: ReadonlyArray<{ path: string; message: string }> = [],
): Html {
  const first = samples[0];
  if (!first) return html``;
  const v = values ?? { sample: first.id, ...sampleAttendee(first), withDeal: true };
  const problem = (field: string) =>
    problems.filter((p) => p.path === field).map((p) => html`<span class="field-error">${p.message}</span>`);
  return html`<h2>Try it</h2>
<section class="card" id="try-it">
<p>Sandbox mode: send a demo booking with an attendee of your choosing, then its meeting notes with a
sample transcript, through the same signed event API the scheduling platform uses. The Contact, the Notes,
the Tasks and a deal-stage suggestion appear in the sandbox org and on the Activity and Suggestions pages.</p>
${problems.length ? html`<div class="problem" id="try-it-problems">Check the fields marked below.</div>` : ''}
<form method="post" action="/integrations/try-it"><input type="hidden" name="_csrf" value="${csrf}">
<label>Sample meeting <select name="sample" id="try-sample">${samples.map(
    (s) =>
      html`<option value="${s.id}"${s.id === v.sample ? html` selected` : ''}>${s.meeting.title} (deal at ${s.current_stage})</option>`,
  )}</select> ${problem('sample')}</label>
<label>Attendee name <input name="name" id="try-name" value="${v.name}" maxlength="200"> ${problem('name')}</label>
<label>Attendee email <input name="email" id="try-email" type="email" value="${v.email}" maxlength="254"> ${problem('email')}</label>
<label><input type="checkbox" name="with_deal" id="try-with-deal"${v.withDeal ? html` checked` : ''}>
Make them an existing customer first: a Contact with an open deal at the sample's stage in the sandbox org
(without a deal there is no stage to suggest)</label>
<div class="actions"><button type="submit" id="try-send">Send the demo meeting</button></div>
</form></section>`;
}

const form = z.object({
  sample: z.string().min(1, 'choose a sample meeting'),
  name: z.string().trim().min(1, 'give the attendee a name').max(200, 'at most 200 characters'),
  email: z.string().trim().pipe(z.email('a valid email address')),
  with_deal: z.literal('on').optional(),
});

const sent = 'The demo booking and its meeting notes were sent.';
const noSuggestion = 'so no deal-stage suggestion will be made.';
const outcomes: Record<string, string> = {
  deal: `The attendee was added to the sandbox org as a Contact with an open deal. ${sent}`,
  no_deal: `${sent} The attendee has no deal in the sandbox org, ${noSuggestion}`,
  stage_missing: `${sent} The sandbox org's default pipeline has no stage this sample's deal is at, so no deal was added and ${noSuggestion}`,
  refused: `${sent} The sandbox org refused the demo Contact or Deal (see the log), ${noSuggestion}`,
};

/** The Activity page's notice after a try; `tried` is one of a few codes, never free text. */
export function tryItNotice(query: unknown): Html | undefined {
  const kind = String((query as Record<string, unknown> | undefined)?.['tried'] ?? '');
  const text = Object.hasOwn(outcomes, kind) ? outcomes[kind] : undefined;
  if (!text) return undefined;
  return html`<div class="notice" id="try-it-notice">Try it: ${text} Reload this page to follow them;
a suggestion appears on <a href="/suggestions">Suggestions</a>.</div>`;
}

export function registerTryIt(app: FastifyInstance, ctx: WebContext, options: TryItOptions) {
  app.post('/integrations/try-it', { preHandler: ctx.auth.requireUser }, async (req, reply) => {
    const user = req.user!;
    const pageUser = ctx.auth.pageUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values: FormValues = {
      sample: String(body['sample'] ?? ''),
      name: String(body['name'] ?? ''),
      email: String(body['email'] ?? ''),
      withDeal: body['with_deal'] === 'on',
    };
    const parsed = form.safeParse(body);
    const sample = options.samples.find((s) => s.id === values.sample);
    const problems = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({ path: String(i.path[0] ?? ''), message: i.message }));
    if (!sample && !problems.some((p) => p.path === 'sample'))
      problems.push({ path: 'sample', message: 'choose one of the sample meetings' });
    const conn = await findConnection(ctx.db, user.workspaceId, user.id);
    const notConnected = conn?.status !== 'connected' || !conn.zohoOrg;
    if (!parsed.success || !sample || notConnected) {
      const page = html`<h1>Try it</h1>
${notConnected ? html`<div class="problem" id="try-it-not-connected">Connect Zoho CRM on the <a href="/integrations">Integrations</a> page first: the demo meeting is synced to the org you connect.</div>` : ''}
${tryItPanel(options.samples, pageUser.csrf, values, problems)}`;
      return reply
        .code(notConnected ? 409 : 400)
        .type('text/html')
        .send(layout('Try it', pageUser, '/integrations', page));
    }

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
        zohoOrgId: conn.zohoOrg!.id,
      },
      {
        sample,
        attendee: { name: parsed.data.name, email: parsed.data.email },
        withDeal: parsed.data.with_deal === 'on',
      },
    );
    if (result.deal && !result.deal.ok)
      req.log.warn({ code: result.deal.code, reason: result.deal.reason }, 'try it: no demo deal added');
    const tried = !result.deal ? 'no_deal' : result.deal.ok ? 'deal' : result.deal.code;
    return reply.redirect(`/activity?tried=${tried}`, 303);
  });
}
