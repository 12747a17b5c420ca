import { describe, expect, it } from 'vitest';
import { type CreatedOrg, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 20: batches', () => {
  const s = useSandbox();

  const stored = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}/records?module=Contacts`)).body.records
      .Contacts as Array<{ id: string; Last_Name: string }>;

  it('answers a mixed insert with one result per record, in order, as 207 Multi-Status', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [
        { Last_Name: 'First', Email: uniqueEmail('first') },
        { First_Name: 'No last name' },
        { Last_Name: 'Bad email', Email: 'not-an-email' },
        { Last_Name: 'Fourth' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data).toHaveLength(4);
    const [first, second, third, fourth] = res.body.data;
    expect(first).toMatchObject({ code: 'SUCCESS', status: 'success', details: { id: expect.any(String) } });
    expect(second).toEqual({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
      message: 'required field not found',
      status: 'error',
    });
    expect(third).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { api_name: 'Email', json_path: '$.data[2].Email' },
    });
    expect(fourth).toMatchObject({ code: 'SUCCESS', status: 'success' });
    expect(first.details.id).not.toBe(fourth.details.id);
    // Each success id is the record sent at that position.
    for (const [entry, name] of [
      [first, 'First'],
      [fourth, 'Fourth'],
    ] as const) {
      const got = await s.client.api(tokens, 'GET', `/Contacts/${entry.details.id}`);
      expect(got.body.data[0].Last_Name).toBe(name);
    }
    expect((await stored(org)).map((r) => r.Last_Name).sort()).toEqual(['First', 'Fourth']);
  });

  it('answers 400 with every record refused when all fail', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const res = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ First_Name: 'A' }, { First_Name: 'B' }],
    });
    expect(res.status).toBe(400);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'MANDATORY_NOT_FOUND',
      'MANDATORY_NOT_FOUND',
    ]);
    expect(res.body.data[1].details.json_path).toBe('$.data[1].Last_Name');
  });

  it('answers a mixed update per record, in order', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const created = await s.client.api(tokens, 'POST', '/Contacts', {
      data: [{ Last_Name: 'One' }, { Last_Name: 'Two' }],
    });
    const [a, b] = created.body.data.map((d: { details: { id: string } }) => d.details.id);
    const res = await s.client.api(tokens, 'PUT', '/Contacts', {
      data: [
        { id: a, Last_Name: 'One changed' },
        { id: '1111111111111111111', Last_Name: 'Ghost' },
        { id: b, Email: 'broken' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual([
      'SUCCESS',
      'INVALID_DATA',
      'INVALID_DATA',
    ]);
    expect(res.body.data[0]).toMatchObject({ message: 'record updated', details: { id: a } });
    expect(res.body.data[1].details).toMatchObject({ api_name: 'id', json_path: '$.data[1].id' });
    expect(res.body.data[2].details).toMatchObject({ api_name: 'Email', json_path: '$.data[2].Email' });
    expect((await stored(org)).map((r) => r.Last_Name).sort()).toEqual(['One changed', 'Two']);
  });

  it('accepts 100 records in one call and refuses 101 with 400, storing none of them', async () => {
    const org = await s.client.createOrg();
    const tokens = await s.client.tokens(org);
    const batch = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => ({ Last_Name: `${tag} ${i}` }));
    const tooMany = await s.client.api(tokens, 'POST', '/Contacts', { data: batch(101, 'Over') });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({ code: 'LIMIT_EXCEEDED', status: 'error', details: { limit: 100 } });
    expect(await stored(org)).toEqual([]);
    const updateTooMany = await s.client.api(tokens, 'PUT', '/Contacts', {
      data: batch(101, 'Over').map((r) => ({ ...r, id: '1111111111111111111' })),
    });
    expect(updateTooMany.status).toBe(400);
    expect(updateTooMany.body.code).toBe('LIMIT_EXCEEDED');
    const full = await s.client.api(tokens, 'POST', '/Contacts', { data: batch(100, 'Full') });
    expect(full.status).toBe(201);
    expect(full.body.data).toHaveLength(100);
    expect(full.body.data.every((d: { code: string }) => d.code === 'SUCCESS')).toBe(true);
    expect(await stored(org)).toHaveLength(100);
  });
});
