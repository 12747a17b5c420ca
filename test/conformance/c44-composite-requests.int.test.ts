import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

type Sub = Record<string, unknown>;
interface Entry {
  code: string;
  status: string;
  message: string;
  details: { response?: { status_code: number; body: any; headers: Record<string, string> } } & Record<
    string,
    unknown
  >;
}

const ALL = 'ZohoCRM.modules.ALL,ZohoCRM.org.READ,ZohoCRM.settings.ALL,ZohoCRM.composite_requests.CUSTOM';

describe('conformance 44: the composite API runs up to five sub-requests as the plain routes would', () => {
  const s = useSandbox();

  const composite = (tokens: Tokens, body: Record<string, unknown>) =>
    s.client.api<{ __composite_requests: Entry[] } & Record<string, unknown>>(
      tokens,
      'POST',
      '/__composite_requests',
      body,
    );
  const creditsUsed = async (org: CreatedOrg) =>
    (await s.client.json('GET', `/__sandbox/orgs/${org.org_id}`)).body.limits.credits_used as number;
  const setup = async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    return { org, tokens: await s.client.tokens(org, ALL) };
  };

  it('answers each sub-request under details.response; later ones refer to earlier answers', async () => {
    const { org, tokens } = await setup();
    const res = await composite(tokens, {
      parallel_execution: false,
      __composite_requests: [
        {
          sub_request_id: 'make',
          method: 'POST',
          uri: '/crm/v8/Contacts',
          body: { data: [{ Last_Name: 'Composed' }] },
        },
        { sub_request_id: 'read', method: 'GET', uri: '/crm/v8/Contacts/@{make:$.data[0].details.id}' },
        {
          sub_request_id: 'note',
          method: 'POST',
          uri: '/crm/v8/Notes',
          body: {
            data: [
              {
                Note_Title: 'Hello',
                Note_Content: 'Met at the fair',
                Parent_Id: { module: { api_name: 'Contacts' }, id: '@{make:$.data[0].details.id}' },
              },
            ],
          },
        },
        { method: 'GET', uri: '/crm/v8/org' },
      ] satisfies Sub[],
    });
    expect(res.status).toBe(200);
    const [make, read, note, orgReply] = res.body.__composite_requests;
    for (const entry of res.body.__composite_requests)
      expect(entry).toMatchObject({
        code: 'SUCCESS',
        status: 'success',
        message: expect.any(String),
        details: { response: { status_code: expect.any(Number), headers: expect.any(Object) } },
      });
    expect(make!.details.response!.status_code).toBe(201);
    const id = make!.details.response!.body.data[0].details.id as string;
    expect(id).toMatch(/^\d{19}$/);
    expect(read!.details.response).toMatchObject({
      status_code: 200,
      body: { data: [{ id, Last_Name: 'Composed' }] },
    });
    expect(note!.details.response!.status_code).toBe(201);
    expect(orgReply!.details.response!.body.org[0].id).toBe(org.org_id);
    const notes = await s.client.records(org, 'Notes');
    expect(notes.map((n) => n.Parent_Id?.id)).toEqual([id]);
    // One credit for the whole call.
    expect(await creditsUsed(org)).toBe(1);
  });

  it('a sub-request’s own failure is its answer; the composite is still a 200 when every one ran', async () => {
    const { tokens } = await setup();
    const res = await composite(tokens, {
      __composite_requests: [
        { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ First_Name: 'No last name' }] } },
        { method: 'GET', uri: '/crm/v8/Contacts/1111111111111111111' },
        { method: 'GET', uri: '/crm/v8/Contacts', params: {} },
      ],
    });
    expect(res.status).toBe(200);
    const [insert, missing, noFields] = res.body.__composite_requests;
    expect(insert!.details.response).toMatchObject({
      status_code: 400,
      body: { data: [{ code: 'MANDATORY_NOT_FOUND', details: { api_name: 'Last_Name' } }] },
    });
    expect(missing!.details.response).toMatchObject({ status_code: 204, body: null });
    expect(noFields!.details.response).toMatchObject({
      status_code: 400,
      body: { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' } },
    });
  });

  it('checks each sub-request’s own scope and the profile’s permission; the call itself needs composite_requests.CUSTOM', async () => {
    const limitedEmail = uniqueEmail('limited');
    const org = await s.client.createOrg({
      users: [
        { email: uniqueEmail('admin'), profile: 'Administrator' },
        { email: limitedEmail, profile: 'NoDeals' },
      ],
    });
    await s.client.json('PUT', `/__sandbox/orgs/${org.org_id}/profiles/NoDeals`, {
      permissions: { Contacts: ['view', 'create'] },
    });
    const readOnly = await s.client.tokens(
      org,
      'ZohoCRM.composite_requests.CUSTOM,ZohoCRM.modules.contacts.READ',
    );
    const res = await composite(readOnly, {
      __composite_requests: [
        { method: 'GET', uri: '/crm/v8/Contacts', params: { fields: 'Last_Name' } },
        { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'Nope' }] } },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.__composite_requests.map((e) => e.details.response!.status_code)).toEqual([204, 401]);
    expect(res.body.__composite_requests[1]!.details.response!.body).toMatchObject({
      code: 'OAUTH_SCOPE_MISMATCH',
    });

    const limited = await s.client.tokens(org, ALL, limitedEmail);
    const denied = await composite(limited, {
      __composite_requests: [{ method: 'GET', uri: '/crm/v8/Deals', params: { fields: 'Deal_Name' } }],
    });
    expect(denied.body.__composite_requests[0]!.details.response).toMatchObject({
      status_code: 403,
      body: { code: 'NO_PERMISSION' },
    });

    const noCustom = await s.client.tokens(org, 'ZohoCRM.modules.ALL');
    const refused = await composite(noCustom, {
      __composite_requests: [{ method: 'GET', uri: '/crm/v8/Contacts', params: { fields: 'Last_Name' } }],
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'OAUTH_SCOPE_MISMATCH', status: 'error' });
  });

  it('rollback_on_fail undoes what ran before the first failure and stops the rest', async () => {
    const { org, tokens } = await setup();
    const res = await composite(tokens, {
      rollback_on_fail: true,
      __composite_requests: [
        { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'Rolled back' }] } },
        { method: 'POST', uri: '/crm/v8/Leads', body: { data: [{ Last_Name: 'No company' }] } },
        { method: 'GET', uri: '/crm/v8/org' },
      ],
    });
    expect(res.status).toBe(400);
    const [first, failing, rest] = res.body.__composite_requests;
    expect(first).toMatchObject({
      code: 'ROLLBACK_PERFORMED',
      status: 'error',
      details: { rollbacked_by_sub_request_index: 1 },
    });
    expect(failing).toMatchObject({ code: 'SUCCESS', details: { response: { status_code: 400 } } });
    expect(failing!.details.response!.body.data[0]).toMatchObject({
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Company' },
    });
    expect(rest).toMatchObject({
      code: 'PROCESSING_STOPPED',
      details: { rollbacked_by_sub_request_index: 1 },
    });
    expect(await s.client.records(org, 'Contacts')).toEqual([]);
    expect(await creditsUsed(org)).toBe(1);

    // All well: kept, and two credits (Zoho's composite API page).
    const ok = await composite(tokens, {
      rollback_on_fail: true,
      __composite_requests: [
        { method: 'POST', uri: '/crm/v8/Contacts', body: { data: [{ Last_Name: 'Kept' }] } },
        { method: 'GET', uri: '/crm/v8/org' },
      ],
    });
    expect(ok.status).toBe(200);
    expect((await s.client.records(org, 'Contacts')).map((c) => c.Last_Name)).toEqual(['Kept']);
    expect(await creditsUsed(org)).toBe(3);
  });

  it('refuses a malformed call as a whole, at no cost', async () => {
    const { org, tokens } = await setup();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'MANDATORY_NOT_FOUND'],
      [{ __composite_requests: {} }, 'INVALID_DATA'],
      [
        { __composite_requests: [{ method: 'GET', uri: '/crm/v8/org' }], rollback_on_fail: 'yes' },
        'INVALID_DATA',
      ],
      [
        {
          rollback_on_fail: true,
          parallel_execution: true,
          __composite_requests: [{ method: 'GET', uri: '/crm/v8/org' }],
        },
        'AMBIGUITY_DURING_PROCESSING',
      ],
    ];
    for (const [body, code] of cases) {
      const res = await composite(tokens, body);
      expect([res.status, res.body.code]).toEqual([400, code]);
    }
    expect(await creditsUsed(org)).toBe(0);
  });

  it('refuses bad sub-requests one by one: 207 when some ran, 400 when none did', async () => {
    const { tokens } = await setup();
    const mixed = await composite(tokens, {
      __composite_requests: [
        { method: 'GET', uri: '/crm/v8/org' },
        { method: 'GET', uri: '/api/v8/org' },
        { method: 'FETCH', uri: '/crm/v8/org' },
        { method: 'POST', uri: '/crm/v8/__composite_requests', body: { __composite_requests: [] } },
        { method: 'GET', uri: '/crm/v9/org' },
      ],
    });
    expect(mixed.status).toBe(207);
    expect(mixed.body.__composite_requests.map((e) => e.code)).toEqual([
      'SUCCESS',
      'INVALID_DATA',
      'INVALID_DATA',
      'NOT_SUPPORTED',
      'NOT_ALLOWED',
    ]);
    expect(mixed.body.__composite_requests[1]!.details).toMatchObject({
      api_name: 'uri',
      json_path: '$.__composite_requests[1].uri',
    });

    const none = await composite(tokens, {
      __composite_requests: [
        { sub_request_id: 'a', method: 'GET', uri: '/crm/v8/org' },
        { sub_request_id: 'a', method: 'GET', uri: '/crm/v8/users', params: { type: 'CurrentUser' } },
        { method: 'GET', uri: '/crm/v8/org', headers: { Authorization: 'Zoho-oauthtoken x' } },
        { method: 'GET', uri: '/crm/bulk/v8/read' },
      ],
    });
    expect(none.status).toBe(400);
    expect(none.body.__composite_requests.map((e) => e.code)).toEqual([
      'DUPLICATE_DATA',
      'DUPLICATE_DATA',
      'INVALID_DATA',
      'NOT_SUPPORTED',
    ]);
    expect(none.body.__composite_requests[0]!.details).toMatchObject({ sub_request_indexes: [0, 1] });
    expect(none.body.__composite_requests[2]!.details).toMatchObject({
      restricted_headers: ['Authorization'],
    });
  });

  it('references: a later or unknown one is refused when sequential; parallel runs a sub-request after those it refers to and refuses loops', async () => {
    const { tokens } = await setup();
    const sequential = await composite(tokens, {
      parallel_execution: false,
      __composite_requests: [
        { sub_request_id: 'first', method: 'GET', uri: '/crm/v8/Contacts/@{second:$.data[0].details.id}' },
        {
          sub_request_id: 'second',
          method: 'POST',
          uri: '/crm/v8/Contacts',
          body: { data: [{ Last_Name: 'Later' }] },
        },
        { sub_request_id: 'third', method: 'GET', uri: '/crm/v8/Contacts/@{nobody:$.data[0].id}' },
      ],
    });
    expect(sequential.status).toBe(207);
    expect(sequential.body.__composite_requests.map((e) => e.code)).toEqual([
      'INVALID_REFERENCE',
      'SUCCESS',
      'INVALID_REFERENCE',
    ]);
    expect(sequential.body.__composite_requests[0]!.details).toMatchObject({
      reference: '@{second:$.data[0].details.id}',
    });

    const parallel = await composite(tokens, {
      __composite_requests: [
        { sub_request_id: 'reader', method: 'GET', uri: '/crm/v8/Contacts/@{writer:$.data[0].details.id}' },
        {
          sub_request_id: 'writer',
          method: 'POST',
          uri: '/crm/v8/Contacts',
          body: { data: [{ Last_Name: 'First' }] },
        },
        { sub_request_id: 'x', method: 'GET', uri: '/crm/v8/Contacts/@{y:$.data[0].id}' },
        { sub_request_id: 'y', method: 'GET', uri: '/crm/v8/Contacts/@{x:$.data[0].id}' },
      ],
    });
    expect(parallel.status).toBe(207);
    expect(parallel.body.__composite_requests.map((e) => e.code)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'LOOPING_FOUND',
      'LOOPING_FOUND',
    ]);
    expect(parallel.body.__composite_requests[0]!.details.response!.body.data[0].Last_Name).toBe('First');
  });
});
