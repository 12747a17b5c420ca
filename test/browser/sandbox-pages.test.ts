import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { authorizeUrl, authParams, registerWebClient } from '../helpers/oauth-flow.ts';
import { overflow, seriousViolations } from '../helpers/page-checks.ts';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

/**
 * Issue 14: the sandbox's pages at a phone's width (390 px) and a desktop's (1280 px). They
 * ran off the right edge (a 320 px input, wide tables); now no page scrolls sideways, each
 * has one <main>, headings in order, labelled inputs and no serious or critical axe-core
 * violation.
 */
const widths = [1280, 390] as const;

const structureScript = `(() => ({
  mains: document.querySelectorAll('main').length,
  headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
  unlabelled: [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
    .map((el) => el.outerHTML),
}))()`;

describe('sandbox pages at 1280 and 390 px', () => {
  const s = useSandbox();
  const b = useBrowser();
  let org: CreatedOrg;
  let email: string;
  let recordId: string;
  let authorize: string;

  beforeAll(async () => {
    // Long addresses and texts: what makes a narrow page overflow.
    email = uniqueEmail('eva.europa.with.a.rather.long.address');
    org = await s.client.createOrg({
      name: 'Euro GmbH',
      data_center: 'eu',
      users: [{ email, first_name: 'Eva', last_name: 'Europa', profile: 'Administrator' }],
    });
    await s.client.createOrg({ name: 'Acme Inc' });
    const ids = await s.client.seed(org, 'Contacts', [
      {
        First_Name: 'Vera',
        Last_Name: 'Visible',
        Email: 'vera.visible.with.a.long.address@example.com',
        Description: 'Met at the trade fair; wants a demo of the scheduling integration. '.repeat(4),
      },
    ]);
    recordId = ids[0]!;
    const tokens = await s.client.tokens(org);
    await s.client.api(tokens, 'GET', '/Contacts/search?email=vera.visible.with.a.long.address@example.com');
    const app = await registerWebClient(s.client);
    authorize = authorizeUrl(
      s.base,
      authParams(app, { scope: 'ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoSearch.securesearch.READ' }),
    );
  });

  async function signIn(page: Page) {
    await page.goto(authorize);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Accept' }).waitFor();
  }

  const visits: Array<{
    name: string;
    go: (page: Page) => Promise<unknown>;
    texts: string[];
    status?: number;
  }> = [
    { name: 'sign-in', go: (p) => p.goto(authorize), texts: ['Sign in', 'Sandbox users'] },
    { name: 'consent', go: signIn, texts: ['Signed in as Eva Europa', 'Not you?', 'Sign out', 'Accept'] },
    {
      name: 'not-you',
      go: async (p) => {
        await signIn(p);
        await p.getByRole('link', { name: /^Not you\?/ }).click();
        await p.locator('#current-session').waitFor();
      },
      texts: ['This browser is signed in as Eva Europa', 'continue as Eva Europa'],
    },
    {
      name: 'sign-out',
      go: async (p) => {
        await signIn(p);
        await p.goto(`${s.base}/eu/accounts/signout`);
      },
      texts: ['Sign out of the Zoho sandbox', 'Eva Europa'],
    },
    { name: 'signed-out', go: (p) => p.goto(`${s.base}/eu/accounts/signout`), texts: ['You are signed out'] },
    {
      name: 'orgs',
      go: (p) => p.goto(`${s.base}/__sandbox/`),
      texts: ['Euro GmbH', 'Acme Inc', 'This browser'],
    },
    {
      name: 'org',
      go: (p) => p.goto(`${s.base}/__sandbox/orgs/${org.org_id}/view`),
      texts: ['Vera', 'Latest calls', '/crm/v8/Contacts/search'],
    },
    {
      name: 'record',
      go: (p) => p.goto(`${s.base}/__sandbox/orgs/${org.org_id}/view/Contacts/${recordId}`),
      texts: ['Contact', 'vera.visible.with.a.long.address@example.com'],
    },
    { name: '404', go: (p) => p.goto(`${s.base}/no/such/page`), texts: ['Page not found'] },
  ];

  for (const v of visits) {
    it(`${v.name}: no sideways scrolling, one main, headings in order, labelled inputs, no serious axe violation`, async () => {
      const { page } = b;
      for (const width of widths) {
        await b.context.clearCookies();
        await page.setViewportSize({ width, height: 900 });
        await v.go(page);
        const where = `${v.name} at ${width}px`;
        expect(await overflow(page), `${where}: wider than the screen`).toEqual({
          doc: 0,
          wide: [],
        });

        const text = ((await page.locator('main').textContent()) ?? '').replace(/\s+/g, ' ');
        for (const t of v.texts) expect(text, where).toContain(t);

        const structure = (await page.evaluate(structureScript)) as {
          mains: number;
          headings: number[];
          unlabelled: string[];
        };
        expect(structure.mains, where).toBe(1);
        expect(structure.unlabelled, where).toEqual([]);
        expect(structure.headings[0], where).toBe(1);
        expect(
          structure.headings.filter((h) => h === 1),
          where,
        ).toHaveLength(1);
        structure.headings.forEach((h, i) => {
          if (i > 0)
            expect(h, `${where}: heading ${i} skips a level`).toBeLessThanOrEqual(
              structure.headings[i - 1]! + 1,
            );
        });

        expect(await seriousViolations(page), where).toEqual([]);
      }
    });
  }
});
