import { describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 22: an org validation rule', () => {
  const s = useSandbox();

  const addRule = async (org: CreatedOrg, rule: Record<string, unknown>) => {
    const res = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/validation-rules`, rule);
    expect(res.status).toBe(201);
    return res.body as { id: string };
  };

  it('refuses per record, with the rule’s message, the records that meet its condition', async () => {
    const org = await s.client.createOrg();
    const rule = await addRule(org, {
      module: 'Contacts',
      condition: { field: 'Email', operator: 'contains', value: '@competitor.example' },
      message: 'Contacts from competitors are not allowed',
    });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'Fine', Email: uniqueEmail('fine') },
        { Last_Name: 'Spy', Email: 'spy@Competitor.example' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data[0].code).toBe('SUCCESS');
    expect(res.body.data[1]).toEqual({
      code: 'INVALID_DATA',
      details: { api_name: 'Email', json_path: '$.data[1].Email', validation_rule_id: rule.id },
      message: 'Contacts from competitors are not allowed',
      status: 'error',
    });
    const stored = await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`);
    expect(stored.body.records.Contacts.map((r: { Last_Name: string }) => r.Last_Name)).toEqual(['Fine']);
  });

  it('applies to updates, only to its module, and with other operators', async () => {
    const org = await s.client.createOrg();
    await addRule(org, {
      module: 'Leads',
      condition: { field: 'Company', operator: 'equals', value: 'Blocked Corp' },
      message: 'This company is blocked',
    });
    await addRule(org, {
      module: 'Contacts',
      condition: { field: 'Phone', operator: 'is_empty' },
      message: 'A phone number is required for contacts',
    });
    const tokens = await s.client.tokens(org);
    const lead = await s.client.api(tokens, 'POST', '/Leads', {
      data: [{ Last_Name: 'Lee', Company: 'Open Corp' }],
    });
    expect(lead.status).toBe(201);
    const id = lead.body.data[0].details.id;
    const update = await s.client.api(tokens, 'PUT', `/Leads/${id}`, { data: [{ Company: 'blocked corp' }] });
    expect(update.status).toBe(400);
    expect(update.body.data[0]).toMatchObject({
      code: 'INVALID_DATA',
      message: 'This company is blocked',
      details: { api_name: 'Company' },
    });
    const unchanged = await s.client.api(tokens, 'GET', `/Leads/${id}`);
    expect(unchanged.body.data[0].Company).toBe('Open Corp');
    // A Contact called "Blocked Corp" is no Lead: only the Contacts rule applies to it.
    const contact = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Blocked Corp' }, { Last_Name: 'Phoned', Phone: '555 0100' }],
    });
    expect(contact.status).toBe(207);
    expect(contact.body.data[0]).toMatchObject({
      code: 'INVALID_DATA',
      message: 'A phone number is required for contacts',
      details: { api_name: 'Phone' },
    });
    expect(contact.body.data[1].code).toBe('SUCCESS');
  });
});
