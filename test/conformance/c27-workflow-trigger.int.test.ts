import { describe, expect, it } from 'vitest';
import { type CreatedOrg, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 27: "trigger": [] suppresses the org’s workflow rules', () => {
  const s = useSandbox();

  const addRule = async (org: CreatedOrg, rule: Record<string, unknown>) => {
    const res = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/workflow-rules`, rule);
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string };
  };
  const runs = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/workflow-runs`)).body.runs as Array<{
      rule_id: string;
      record_id: string;
      event: string;
      module: string;
    }>;

  it('fires a create rule on an insert without trigger, and not with "trigger": []', async () => {
    const org = await s.client.createOrg();
    const rule = await addRule(org, { name: 'Welcome mail', module: 'Contacts', on: 'create' });
    const tokens = await s.client.tokens(org);
    const fired = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Fires' }] });
    expect(fired.status).toBe(201);
    const firedId = fired.body.data[0].details.id;
    expect(await runs(org)).toEqual([
      expect.objectContaining({
        rule_id: rule.id,
        rule_name: 'Welcome mail',
        module: 'Contacts',
        record_id: firedId,
        event: 'create',
      }),
    ]);
    const quiet = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Quiet' }, { Last_Name: 'Quieter' }],
      trigger: [],
    });
    expect(quiet.status).toBe(201);
    expect((await runs(org)).map((r) => r.record_id)).toEqual([firedId]);
  });

  it('fires only the automations named in trigger', async () => {
    const org = await s.client.createOrg();
    await addRule(org, { name: 'Notify', module: 'Contacts', on: 'create' });
    const tokens = await s.client.tokens(org);
    const approvalOnly = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Approval only' }],
      trigger: ['approval'],
    });
    expect(approvalOnly.status).toBe(201);
    expect(await runs(org)).toEqual([]);
    const workflow = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Workflow' }],
      trigger: ['workflow'],
    });
    expect((await runs(org)).map((r) => r.record_id)).toEqual([workflow.body.data[0].details.id]);
  });

  it('applies to updates and edit rules too, and only to the rule’s module', async () => {
    const org = await s.client.createOrg();
    const editRule = await addRule(org, { name: 'On edit', module: 'Contacts', on: 'edit' });
    await addRule(org, { name: 'Lead intake', module: 'Leads', on: 'create_or_edit' });
    const tokens = await s.client.tokens(org);
    const created = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ Last_Name: 'Edited' }] });
    const id = created.body.data[0].details.id;
    expect(await runs(org)).toEqual([]);
    const quiet = await s.client.api(tokens, 'PUT', `/Contacts/${id}`, {
      data: [{ Title: 'CTO' }],
      trigger: [],
    });
    expect(quiet.status).toBe(200);
    expect(await runs(org)).toEqual([]);
    await s.client.api(tokens, 'PUT', `/Contacts/${id}`, { data: [{ Title: 'CEO' }] });
    expect(await runs(org)).toEqual([
      expect.objectContaining({ rule_id: editRule.id, record_id: id, event: 'edit' }),
    ]);
  });

  it('fires nothing for a write refused per record', async () => {
    const org = await s.client.createOrg();
    await addRule(org, { name: 'Any create', module: 'Contacts', on: 'create' });
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', { data: [{ First_Name: 'No last name' }] });
    expect(res.status).toBe(400);
    expect(await runs(org)).toEqual([]);
  });

  it('refuses a trigger that is not a list of names', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'Bad trigger' }],
      trigger: 'workflow',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { param_name: 'trigger' },
    });
  });
});
