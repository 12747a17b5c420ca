import { describe, expect, it } from 'vitest';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 19: inserts missing a mandatory field', () => {
  const s = useSandbox();

  const stored = async (org: CreatedOrg, module: string) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=${module}`)).body.records[
      module
    ] as unknown[];

  const missing = (api_name: string, index = 0) => ({
    code: 'MANDATORY_NOT_FOUND',
    details: { api_name, json_path: `$.data[${index}].${api_name}` },
    message: 'required field not found',
    status: 'error',
  });

  it('refuses a Contact without Last_Name with MANDATORY_NOT_FOUND naming Last_Name', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ First_Name: 'Only', Email: 'only@example.com' }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ data: [missing('Last_Name')] });
    expect(await stored(org, 'Contacts')).toEqual([]);
  });

  it('treats a blank Last_Name as missing', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: '' }] });
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual([missing('Last_Name')]);
  });

  it('refuses a Lead without Last_Name, and a Lead without Company, naming the field', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const noLastName = await s.client.api(tokens, 'POST', '/Leads', { data: [{ Company: 'Acme' }] });
    expect(noLastName.status).toBe(400);
    expect(noLastName.body.data).toEqual([missing('Last_Name')]);
    const noCompany = await s.client.api(tokens, 'POST', '/Leads', { data: [{ Last_Name: 'Lee' }] });
    expect(noCompany.status).toBe(400);
    expect(noCompany.body.data).toEqual([missing('Company')]);
    expect(await stored(org, 'Leads')).toEqual([]);
    // Company is mandatory on Leads only.
    const contact = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Lee' }] });
    expect(contact.status).toBe(201);
  });

  it('refuses a field the org’s layout made mandatory, and accepts the record once given', async () => {
    const org = await s.client.createOrg({ mandatory_fields: { Contacts: ['Phone'] } });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Nophone' }] });
    expect(res.status).toBe(400);
    expect(res.body.data).toEqual([missing('Phone')]);
    const ok = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Phoned', Phone: '+1 555 0100' }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.data[0].code).toBe('SUCCESS');
  });
});
