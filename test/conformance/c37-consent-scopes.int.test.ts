import { describe, expect, it } from 'vitest';
import {
  authorize,
  authorizeUrl,
  authParams,
  CookieBrowser,
  consentScopes,
  exchange,
  registerWebClient,
  type WebClient,
} from '../helpers/oauth-flow.ts';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

/**
 * The consent page knows every scope Zoho documents for a CRM client, not only the ones this
 * product asks for, and says in plain words what each allows; unknown scopes are refused.
 * Search needs `ZohoSearch.securesearch.READ` besides the module's READ (ZOHO-API.md §8), so
 * that scope, of another service, can be asked for and granted.
 */
const modules = ['leads', 'accounts', 'contacts', 'deals', 'campaigns', 'tasks', 'cases', 'events', 'calls'];
modules.push('solutions', 'products', 'vendors', 'pricebooks', 'quotes', 'salesorders', 'purchaseorders');
modules.push('invoices', 'notes', 'attachments', 'services', 'appointments', 'custom');

/** Zoho's CRM v8 scopes page and the v8 API descriptions, plus the other services' scopes. */
const documented = [
  'ZohoCRM.modules.ALL',
  'ZohoCRM.modules.READ',
  ...modules.flatMap((m) =>
    ['ALL', 'READ', 'CREATE', 'UPDATE', 'DELETE'].map((op) => `ZohoCRM.modules.${m}.${op}`),
  ),
  'ZohoCRM.settings.ALL',
  ...['fields', 'layouts', 'pipeline', 'modules', 'related_lists', 'custom_views', 'territories', 'roles']
    .concat(['profiles', 'currencies', 'variables', 'tags', 'tab_groups', 'macros', 'custom_links'])
    .concat(['custom_buttons'])
    .flatMap((x) => [`ZohoCRM.settings.${x}.READ`, `ZohoCRM.settings.${x}.ALL`]),
  'ZohoCRM.users.ALL',
  'ZohoCRM.users.READ',
  'ZohoCRM.org.ALL',
  'ZohoCRM.org.READ',
  'ZohoCRM.bulk.ALL',
  'ZohoCRM.bulk.READ',
  'ZohoCRM.bulk.CREATE',
  'ZohoCRM.notifications.READ',
  'ZohoCRM.notifications.CREATE',
  'ZohoCRM.notifications.UPDATE',
  'ZohoCRM.notifications.DELETE',
  'ZohoCRM.coql.READ',
  'ZohoCRM.composite_requests.CUSTOM',
  'ZohoCRM.files.CREATE',
  'ZohoCRM.files.READ',
  'ZohoCRM.share.contacts.ALL',
  'ZohoCRM.mass_convert.quotes.CREATE',
  'ZohoCRM.send_mail.all.CREATE',
  'ZohoCRM.templates.email.READ',
  'ZohoCRM.functions.execute.READ',
  'ZohoCRM.functions.execute.CREATE',
  'ZohoSearch.securesearch.READ',
  'ZohoSearch.securesearch.ALL',
  'AaaServer.profile.READ',
  'ZohoFiles.files.CREATE',
];

describe('conformance 37: the consent page knows and explains every documented scope', () => {
  const s = useSandbox();

  async function signedInBrowser(org: CreatedOrg, app: WebClient) {
    const browser = new CookieBrowser();
    const signIn = await browser.post(`${s.base}/us/accounts/oauth/v2/auth/signin`, {
      ...authParams(app),
      email: org.users[0]!.email,
    });
    expect(signIn.status).toBe(303);
    return browser;
  }

  /** Each listed scope's line on the page: what follows its `<code>` name. */
  function lines(html: string): Map<string, string> {
    const list = /<ul class="scopes" id="scopes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
    return new Map(
      [...list.matchAll(/<li><code>([^<]*)<\/code>([^<]*)<\/li>/g)].map((m) => [m[1]!, m[2]!.trim()]),
    );
  }

  it('lists every documented scope a client asks for, each with a plain-language line', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const browser = await signedInBrowser(org, app);
    for (let i = 0; i < documented.length; i += 40) {
      const chunk = documented.slice(i, i + 40);
      const page = await browser.get(authorizeUrl(s.base, authParams(app, { scope: chunk.join(',') })));
      expect(page.status, chunk.join(',')).toBe(200);
      expect(page.html).toContain('value="accept"');
      expect(consentScopes(page.html)).toEqual(chunk);
      const said = lines(page.html);
      for (const scope of chunk) {
        const line = said.get(scope)!;
        expect(line, scope).toMatch(/^— [A-Z]/);
        expect(line.toLowerCase(), scope).not.toContain(scope.toLowerCase());
      }
    }
  });

  it('says what the search scope is for, in words', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const browser = await signedInBrowser(org, app);
    const scope = 'ZohoCRM.modules.contacts.READ,ZohoSearch.securesearch.READ';
    const page = await browser.get(authorizeUrl(s.base, authParams(app, { scope })));
    const said = lines(page.html);
    expect(said.get('ZohoCRM.modules.contacts.READ')).toBe('— See Contacts in your CRM');
    expect(said.get('ZohoSearch.securesearch.READ')).toMatch(/^— Search your Zoho data/);
  });

  it('grants ZohoSearch.securesearch.READ through consent and the Self Client: the token carries it', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const scope = 'ZohoCRM.modules.contacts.READ,ZohoSearch.securesearch.READ';
    const back = await authorize(s.base, authParams(app, { scope }), org.users[0]!.email);
    const token = await exchange(s.client, org.accounts_url, app, back.searchParams.get('code')!);
    expect(token.body.scope.split(' ')).toEqual([
      'ZohoCRM.modules.contacts.READ',
      'ZohoSearch.securesearch.READ',
    ]);

    const self = await s.client.tokens(org, scope);
    expect((self as unknown as { scope: string }).scope).toContain('ZohoSearch.securesearch.READ');
  });

  it('still refuses unknown scopes on the page and at the Self Client, naming them', async () => {
    const org = await s.client.createOrg();
    const app = await registerWebClient(s.client);
    const browser = await signedInBrowser(org, app);
    for (const bad of ['ZohoCRM.modules.widgets.READ', 'ZohoCRM.coql.CREATE', 'ZohoSearch.everything.READ']) {
      const page = await browser.get(
        authorizeUrl(s.base, authParams(app, { scope: `ZohoCRM.modules.ALL,${bad}` })),
      );
      expect(page.status, bad).toBe(400);
      expect(page.location, bad).toBeNull();
      expect(page.html, bad).toContain('Invalid OAuth Scope');
      expect(page.html, bad).toContain(bad);
      const self = await s.client.json('POST', '/__sandbox/self-client', {
        org_id: org.org_id,
        user_email: org.users[0]!.email,
        scope: bad,
      });
      expect(self.status, bad).toBe(400);
      expect(self.body.error.message, bad).toContain(bad);
    }
  });
});
