import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 52: DUPLICATE_DATA names the field, the path, one holder and whether there are more', () => {
  const s = useSandbox();

  it('answers api_name, json_path, duplicate_record { id, module { api_name, id }, Owner } and more_records', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0, unique_fields: { Contacts: ['Email'] } });
    const [holder] = await s.client.seed(org, 'Contacts', [
      { Last_Name: 'Holder', Email: 'one@example.com' },
    ]);
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'Fine', Email: 'two@example.com' },
        { Last_Name: 'Again', Email: 'ONE@example.com' },
      ],
    });
    expect(res.status).toBe(207);
    const admin = org.users[0]!;
    expect(res.body.data[1]).toEqual({
      code: 'DUPLICATE_DATA',
      details: {
        api_name: 'Email',
        json_path: '$.data[1].Email',
        duplicate_record: {
          id: holder,
          module: { api_name: 'Contacts', id: expect.stringMatching(/^\d{19}$/) },
          Owner: { name: 'Ada Admin', id: admin.id, zuid: expect.any(String) },
        },
        more_records: false,
      },
      message: 'duplicate data',
      status: 'error',
    });
  });

  it('says more_records: true when several existing records hold the value', async () => {
    // Two records took the address before the field was made unique.
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const holders = await s.client.seed(org, 'Leads', [
      { Last_Name: 'First', Company: 'Acme', Email: 'twice@example.com' },
      { Last_Name: 'Second', Company: 'Acme', Email: 'twice@example.com' },
    ]);
    await s.client.json('PATCH', `/__sandbox/orgs/${org.org_id}`, { unique_fields: { Leads: ['Email'] } });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Leads', {
      data: [{ Last_Name: 'Third', Company: 'Acme', Email: 'twice@example.com' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.data[0].details.more_records).toBe(true);
    expect(holders).toContain(res.body.data[0].details.duplicate_record.id);
  });
});
