import { describe, expect, it } from 'vitest';
import { type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 24: tasks', () => {
  const s = useSandbox();

  const create = async (tokens: Tokens, module: string, record: Record<string, unknown>) => {
    const res = await s.client.api(tokens, 'POST', `/${module}`, { data: [record] });
    expect(res.status).toBe(201);
    return res.body.data[0].details.id as string;
  };

  it('accepts each of Zoho’s Status and Priority values', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const statuses = ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'];
    const priorities = ['Highest', 'High', 'Normal', 'Low', 'Lowest'];
    const res = await s.client.api(tokens, 'POST', '/Tasks', {
      data: statuses.map((Status, i) => ({
        Subject: `Task ${i}`,
        Status,
        Priority: priorities[i],
        Due_Date: '2030-01-31',
      })),
    });
    expect(res.status).toBe(201);
    const got = await s.client.api(tokens, 'GET', `/Tasks/${res.body.data[4].details.id}`);
    expect(got.body.data[0]).toMatchObject({
      Subject: 'Task 4',
      Status: 'Waiting for input',
      Priority: 'Lowest',
      Due_Date: '2030-01-31',
    });
  });

  it('refuses other Status and Priority values with INVALID_DATA naming the field', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Tasks', {
      data: [
        { Subject: 'Bad status', Status: 'Done' },
        { Subject: 'Bad priority', Priority: 'Urgent' },
        { Subject: 'Wrong case', Status: 'completed' },
        { Subject: 'Fine', Status: 'Completed', Priority: 'High' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'INVALID_DATA',
      'INVALID_DATA',
      'INVALID_DATA',
      'SUCCESS',
    ]);
    expect(res.body.data[0].details).toMatchObject({ api_name: 'Status', json_path: '$.data[0].Status' });
    expect(res.body.data[1].details).toMatchObject({ api_name: 'Priority', json_path: '$.data[1].Priority' });
    expect(res.body.data[2].details).toMatchObject({ api_name: 'Status' });
  });

  it('links to a Contact with Who_Id and lists the task among the Contact’s Tasks', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const contactId = await create(tokens, 'Contacts', { First_Name: 'Tia', Last_Name: 'Task' });
    const taskId = await create(tokens, 'Tasks', {
      Subject: 'Follow up',
      Status: 'Not Started',
      Who_Id: { id: contactId },
    });
    const task = await s.client.api(tokens, 'GET', `/Tasks/${taskId}`);
    expect(task.body.data[0].Who_Id).toEqual({ name: 'Tia Task', id: contactId });
    const related = await s.client.api(tokens, 'GET', `/Contacts/${contactId}/Tasks?fields=Subject,Who_Id`);
    expect(related.status).toBe(200);
    expect(related.body.data).toEqual([
      { id: taskId, Subject: 'Follow up', Who_Id: { name: 'Tia Task', id: contactId } },
    ]);
  });

  it('links to a Lead with What_Id and $se_module, listed among the Lead’s Tasks', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const leadId = await create(tokens, 'Leads', { First_Name: 'Lou', Last_Name: 'Lead', Company: 'Acme' });
    const taskId = await create(tokens, 'Tasks', {
      Subject: 'Qualify',
      What_Id: { id: leadId },
      $se_module: 'Leads',
    });
    const task = await s.client.api(tokens, 'GET', `/Tasks/${taskId}`);
    expect(task.body.data[0]).toMatchObject({
      What_Id: { id: leadId, name: 'Lou Lead' },
      $se_module: 'Leads',
      Who_Id: null,
    });
    const related = await s.client.api(tokens, 'GET', `/Leads/${leadId}/Tasks?fields=Subject`);
    expect(related.body.data).toEqual([{ id: taskId, Subject: 'Qualify' }]);
  });

  it('refuses a Lead linked without $se_module, a Lead in Who_Id, and a missing record', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const leadId = await create(tokens, 'Leads', { Last_Name: 'Lead', Company: 'Acme' });
    const res = await s.client.api(tokens, 'POST', '/Tasks', {
      data: [
        { Subject: 'No module', What_Id: { id: leadId } },
        { Subject: 'Lead as contact', Who_Id: { id: leadId } },
        { Subject: 'Ghost', What_Id: { id: '1111111111111111111' }, $se_module: 'Leads' },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'INVALID_DATA',
      'INVALID_DATA',
      'INVALID_DATA',
    ]);
    expect(res.body.data[1].details).toMatchObject({ api_name: 'Who_Id' });
    expect(res.body.data[2].details).toMatchObject({ api_name: 'What_Id' });
  });
});
