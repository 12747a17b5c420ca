import { describe, expect, it } from 'vitest';
import { uniqueEmail, useSandbox } from '../helpers/sandbox.ts';
import { sdkShapeErrors } from '../helpers/sdk-shape.ts';

const MODULE = 'core/com/zoho/crm/api/modules/modules';

describe('conformance 40: /settings/modules lists the modules served, in the shape Zoho’s SDK parses', () => {
  const s = useSandbox();

  it('lists each record module with api_supported, generated_type and a long id', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'GET', '/settings/modules');
    expect(res.status).toBe(200);
    const modules = res.body.modules as Array<Record<string, unknown>>;
    const names = modules.map((m) => m['api_name']);
    expect(names).toEqual(expect.arrayContaining(['Contacts', 'Leads', 'Notes', 'Tasks', 'Deals']));
    for (const m of modules) {
      expect(sdkShapeErrors(m, MODULE)).toEqual([]);
      expect(m).toMatchObject({ api_supported: true, generated_type: 'default', visible: true });
      expect(m['id']).toMatch(/^\d{19}$/);
    }
    // Zoho still calls Deals "Potentials" inside.
    expect(modules.find((m) => m['api_name'] === 'Deals')).toMatchObject({
      module_name: 'Potentials',
      singular_label: 'Deal',
      plural_label: 'Deals',
    });
    expect(modules.find((m) => m['api_name'] === 'Leads')).toMatchObject({ convertable: true });
    expect(new Set(modules.map((m) => m['id'])).size).toBe(modules.length);
  });

  it('answers creatable / editable / deletable for the signed-in user’s profile', async () => {
    const viewerEmail = uniqueEmail('viewer');
    const org = await s.client.createOrg({
      users: [
        { email: uniqueEmail('admin'), profile: 'Administrator' },
        { email: viewerEmail, profile: 'Viewer' },
      ],
    });
    const put = await s.client.json('PUT', `/__sandbox/orgs/${org.org_id}/profiles/Viewer`, {
      permissions: { Contacts: ['view'], Deals: ['view', 'edit'] },
    });
    expect(put.status).toBe(200);
    const tokens = await s.client.tokens(org, 'ZohoCRM.settings.modules.READ', viewerEmail);
    const res = await s.client.api(tokens, 'GET', '/settings/modules');
    const byName = Object.fromEntries(
      (res.body.modules as Array<{ api_name: string; profiles: unknown[] }>).map((m) => [m.api_name, m]),
    );
    expect(byName['Contacts']).toMatchObject({
      viewable: true,
      creatable: false,
      editable: false,
      deletable: false,
    });
    expect(byName['Deals']).toMatchObject({ viewable: true, creatable: false, editable: true });
    expect(byName['Leads']).toMatchObject({ viewable: false });
    expect(byName['Contacts']!.profiles).toEqual(
      expect.arrayContaining([{ id: expect.stringMatching(/^\d{19}$/), name: 'Viewer' }]),
    );
  });

  it('gives one module by api name or id, with its related lists; an unknown one is INVALID_MODULE', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const byName = await s.client.api(tokens, 'GET', '/settings/modules/Contacts');
    expect(byName.status).toBe(200);
    expect(byName.body.modules).toHaveLength(1);
    const contacts = byName.body.modules[0];
    expect(sdkShapeErrors(contacts, MODULE)).toEqual([]);
    expect(contacts.api_name).toBe('Contacts');
    expect(contacts.related_lists.map((r: { api_name: string }) => r.api_name)).toEqual(
      expect.arrayContaining(['Notes', 'Deals', 'Tasks']),
    );
    const byId = await s.client.api(tokens, 'GET', `/settings/modules/${contacts.id}`);
    expect(byId.body.modules[0].api_name).toBe('Contacts');
    const unknown = await s.client.api(tokens, 'GET', '/settings/modules/Widgets');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_MODULE', status: 'error' });
  });

  it('needs ZohoCRM.settings.modules.READ (or a broader settings scope)', async () => {
    const org = await s.client.createOrg();
    for (const scope of [
      'ZohoCRM.settings.modules.READ',
      'ZohoCRM.settings.modules.ALL',
      'ZohoCRM.settings.ALL',
    ]) {
      const tokens = await s.client.tokens(org, scope);
      expect((await s.client.api(tokens, 'GET', '/settings/modules')).status).toBe(200);
    }
    const narrow = await s.client.tokens(org, 'ZohoCRM.settings.fields.READ,ZohoCRM.modules.ALL');
    for (const path of ['/settings/modules', '/settings/modules/Contacts']) {
      const res = await s.client.api(narrow, 'GET', path);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', status: 'error' });
    }
  });
});
