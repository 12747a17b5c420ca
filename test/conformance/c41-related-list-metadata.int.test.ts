import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';
import { sdkShapeErrors } from '../helpers/sdk-shape.ts';

const RELATED_LIST = 'core/com/zoho/crm/api/related_lists/related_list';

interface RelatedList {
  id: string;
  api_name: string;
  href: string;
  module: { api_name: string; id: string };
  sequence_number: string;
  type: string;
  visible: boolean;
}

describe('conformance 41: /settings/related_lists describes the related lists a record’s calls accept', () => {
  const s = useSandbox();

  const listsOf = async (tokens: Awaited<ReturnType<typeof s.client.tokens>>, module: string) => {
    const res = await s.client.api(tokens, 'GET', `/settings/related_lists?module=${module}`);
    expect(res.status).toBe(200);
    return res.body.related_lists as RelatedList[];
  };

  it('gives Zoho’s shape: id, api_name, display_label, module {api_name, id}, href, type, sequence_number', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const contacts = await listsOf(tokens, 'Contacts');
    expect(contacts.map((r) => r.api_name)).toEqual(expect.arrayContaining(['Notes', 'Deals', 'Tasks']));
    expect((await listsOf(tokens, 'Leads')).map((r) => r.api_name)).toEqual(
      expect.arrayContaining(['Notes', 'Tasks']),
    );
    expect((await listsOf(tokens, 'Deals')).map((r) => r.api_name)).toEqual(
      expect.arrayContaining(['Notes', 'Tasks']),
    );
    const modules = (await s.client.api(tokens, 'GET', '/settings/modules')).body.modules as Array<{
      api_name: string;
      id: string;
    }>;
    for (const list of contacts) {
      expect(sdkShapeErrors(list as unknown as Record<string, unknown>, RELATED_LIST)).toEqual([]);
      expect(list).toMatchObject({
        id: expect.stringMatching(/^\d{19}$/),
        display_label: expect.any(String),
        type: 'default',
        visible: true,
        sequence_number: expect.stringMatching(/^\d+$/),
        href: `Contacts/{ENTITYID}/${list.api_name}`,
      });
      // The related module is named as /settings/modules names it, with the same id.
      expect(modules.find((m) => m.api_name === list.module.api_name)?.id).toBe(list.module.id);
    }
  });

  it('each href, with a record id in place of {ENTITYID}, is a related-records call that works', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const ids: Record<string, string> = {
      Contacts: (await s.client.seed(org, 'Contacts', [{ Last_Name: 'Related' }]))[0]!,
      Leads: (await s.client.seed(org, 'Leads', [{ Last_Name: 'Related', Company: 'Lead Co' }]))[0]!,
      Deals: (await s.client.seed(org, 'Deals', [{ Deal_Name: 'Related deal', Stage: 'Qualification' }]))[0]!,
    };
    for (const [module, id] of Object.entries(ids)) {
      for (const list of await listsOf(tokens, module)) {
        const res = await s.client.api(tokens, 'GET', `/${list.href.replace('{ENTITYID}', id)}?fields=id`);
        // Nothing is related yet: Zoho's empty related list is 204.
        expect([res.status, list.href]).toEqual([204, list.href]);
      }
    }
    const bogus = await s.client.api(tokens, 'GET', `/Contacts/${ids['Contacts']}/Widgets?fields=id`);
    expect(bogus.status).toBe(400);
  });

  it('refuses a missing or unknown module', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const missing = await s.client.api(tokens, 'GET', '/settings/related_lists');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'module' } });
    const unknown = await s.client.api(tokens, 'GET', '/settings/related_lists?module=Widgets');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_MODULE' });
  });

  it('needs ZohoCRM.settings.related_lists.READ (or a broader settings scope)', async () => {
    const org = await s.client.createOrg();
    for (const scope of ['ZohoCRM.settings.related_lists.READ', 'ZohoCRM.settings.ALL']) {
      const tokens = await s.client.tokens(org, scope);
      expect((await s.client.api(tokens, 'GET', '/settings/related_lists?module=Contacts')).status).toBe(200);
    }
    const narrow = await s.client.tokens(org, 'ZohoCRM.settings.modules.READ,ZohoCRM.modules.ALL');
    const res = await s.client.api(narrow, 'GET', '/settings/related_lists?module=Contacts');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH' });
  });
});
