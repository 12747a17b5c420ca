import { describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 21: a field the org declared unique', () => {
  const s = useSandbox();

  const stored = async (org: CreatedOrg, module: string) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=${module}`)).body.records[
      module
    ] as unknown[];

  it('refuses a second Contact with the same Email (any case) with DUPLICATE_DATA naming the existing record', async () => {
    const org = await s.client.createOrg({ unique_fields: { Contacts: ['Email'] } });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('dup');
    const first = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'One', Email: email }],
    });
    expect(first.status).toBe(201);
    const existingId = first.body.data[0].details.id;
    const again = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Two', Email: email.toUpperCase() }],
    });
    expect(again.status).toBe(400);
    expect(again.body.data).toHaveLength(1);
    expect(again.body.data[0]).toMatchObject({
      code: 'DUPLICATE_DATA',
      status: 'error',
      message: 'duplicate data',
      details: {
        api_name: 'Email',
        json_path: '$.data[0].Email',
        duplicate_record: { id: existingId, module: { api_name: 'Contacts' } },
      },
    });
    expect(await stored(org, 'Contacts')).toHaveLength(1);
  });

  it('refuses the later of two equal records in one batch, pointing at the earlier', async () => {
    const org = await s.client.createOrg({ unique_fields: { Contacts: ['Email'] } });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('batch');
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'A', Email: email },
        { Last_Name: 'B', Email: email },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data[0].code).toBe('SUCCESS');
    expect(res.body.data[1]).toMatchObject({
      code: 'DUPLICATE_DATA',
      details: { json_path: '$.data[1].Email', duplicate_record: { id: res.body.data[0].details.id } },
    });
  });

  it('refuses an update that would make a record a duplicate', async () => {
    const org = await s.client.createOrg({ unique_fields: { Contacts: ['Email'] } });
    const tokens = await s.client.tokens(org);
    const taken = uniqueEmail('taken');
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'Holder', Email: taken },
        { Last_Name: 'Mover', Email: uniqueEmail('mover') },
      ],
    });
    const [holder, mover] = created.body.data.map((d: { details: { id: string } }) => d.details.id);
    const res = await s.client.api(tokens, 'PUT', `/Contacts/${mover}`, { data: [{ Email: taken }] });
    expect(res.status).toBe(400);
    expect(res.body.data[0]).toMatchObject({
      code: 'DUPLICATE_DATA',
      details: { duplicate_record: { id: holder, module: { api_name: 'Contacts' } } },
    });
    // Saving a record with its own unique value is no duplicate.
    const self = await s.client.api(tokens, 'PUT', `/Contacts/${holder}`, {
      data: [{ Email: taken, Last_Name: 'Holder Again' }],
    });
    expect(self.status).toBe(200);
  });

  it('allows equal values where the field is not unique: another org, or another module', async () => {
    const strict = await s.client.createOrg({ unique_fields: { Contacts: ['Email'] } });
    const lax = await s.client.createOrg();
    const email = uniqueEmail('shared');
    const strictTokens = await s.client.tokens(strict);
    const laxTokens = await s.client.tokens(lax);
    for (const tokens of [laxTokens, laxTokens]) {
      const res = await s.client.api(tokens, 'POST', '/Contacts', {
        data: [{ Last_Name: 'Lax', Email: email }],
      });
      expect(res.status).toBe(201);
    }
    expect(await stored(lax, 'Contacts')).toHaveLength(2);
    const contact = await s.client.api(strictTokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Strict', Email: email }],
    });
    expect(contact.status).toBe(201);
    const lead = await s.client.api(strictTokens, 'POST', '/Leads', {
      data: [{ Last_Name: 'Lead', Company: 'Acme', Email: email }],
    });
    expect(lead.status).toBe(201);
  });
});
