import { describe, expect, it } from 'vitest';
import { useSandbox } from '../helpers/sandbox.ts';

describe('conformance 18: insert', () => {
  const s = useSandbox();

  it('answers 201 with a per-record SUCCESS and a 19-digit string id in details.id', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ First_Name: 'Jo', Last_Name: 'Park', Email: 'jo@example.com' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.data).toHaveLength(1);
    const [entry] = res.body.data;
    expect(entry).toMatchObject({ code: 'SUCCESS', status: 'success', message: 'record added' });
    expect(entry.details.id).toMatch(/^\d{19}$/);
    expect(typeof entry.details.id).toBe('string');
    expect(entry).not.toHaveProperty('id');
    // The id is beyond 2^53: read back as a string it must be exactly the same record.
    const got = await s.client.api(tokens, 'GET', `/Contacts/${entry.details.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data[0]).toMatchObject({
      id: entry.details.id,
      Last_Name: 'Park',
      Email: 'jo@example.com',
    });
    expect(got.text).toContain(`"id":"${entry.details.id}"`);
  });
});
