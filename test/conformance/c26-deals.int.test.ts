import { describe, expect, it } from 'vitest';
import { type CreatedOrg, type Tokens, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 26: deals, pipelines and stages', () => {
  const s = useSandbox();

  const pipelines = [
    {
      name: 'Sales',
      default: true,
      stages: ['Prospecting', 'Demo', 'Negotiation', 'Closed Won', 'Closed Lost'],
    },
    { name: 'Renewals', stages: ['Renewal Due', 'Renewal Quoted', 'Renewed', 'Churned'] },
  ];

  const seed = async (org: CreatedOrg, module: string, data: Array<Record<string, unknown>>) => {
    const res = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/records`, { module, data });
    expect(res.status).toBe(201);
    expect(res.body.data.every((d: { code: string }) => d.code === 'SUCCESS')).toBe(true);
    return res.body.data.map((d: { details: { id: string } }) => d.details.id) as string[];
  };

  const setup = async () => {
    const org = await s.client.createOrg({ pipelines });
    const [ana, ben, cy] = await seed(org, 'Contacts', [
      { Last_Name: 'Ana' },
      { Last_Name: 'Ben' },
      { Last_Name: 'Cy' },
    ]);
    const [big, small, renewal] = await seed(org, 'Deals', [
      { Deal_Name: 'Big deal', Stage: 'Prospecting', Pipeline: 'Sales', Contact_Name: ana, Amount: 5000 },
      { Deal_Name: 'Small deal', Stage: 'Demo', Pipeline: 'Sales', Contact_Name: { id: ana } },
      { Deal_Name: 'Renewal', Stage: 'Renewal Due', Pipeline: 'Renewals', Contact_Name: ben },
    ]);
    const tokens = await s.client.tokens(org);
    return { org, tokens, contacts: { ana: ana!, ben: ben!, cy: cy! }, deals: { big, small, renewal } };
  };

  const stageOf = async (tokens: Tokens, id: string) =>
    (await s.client.api(tokens, 'GET', `/Deals/${id}`)).body.data[0].Stage as string;

  it('lists a contact’s related Deals, and only theirs', async () => {
    const { tokens, contacts, deals } = await setup();
    const ana = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${contacts.ana}/Deals?fields=Deal_Name,Stage,Pipeline`,
    );
    expect(ana.status).toBe(200);
    expect(ana.body.data.map((d: { id: string }) => d.id).sort()).toEqual([deals.big, deals.small].sort());
    expect(ana.body.data.find((d: { id: string }) => d.id === deals.big)).toEqual({
      id: deals.big,
      Deal_Name: 'Big deal',
      Stage: 'Prospecting',
      Pipeline: 'Sales',
    });
    const ben = await s.client.api(tokens, 'GET', `/Contacts/${contacts.ben}/Deals?fields=Deal_Name`);
    expect(ben.body.data).toEqual([{ id: deals.renewal, Deal_Name: 'Renewal' }]);
    const cy = await s.client.api(tokens, 'GET', `/Contacts/${contacts.cy}/Deals?fields=Deal_Name`);
    expect(cy.status).toBe(204);
    expect(cy.text).toBe('');
  });

  it('gives a related Deal its Amount as a number and its Owner as the user (name, id, email) when asked', async () => {
    const { org, tokens, contacts, deals } = await setup();
    const ana = await s.client.api(
      tokens,
      'GET',
      `/Contacts/${contacts.ana}/Deals?fields=Deal_Name,Amount,Owner`,
    );
    expect(ana.status).toBe(200);
    const big = ana.body.data.find((d: { id: string }) => d.id === deals.big);
    expect(big.Amount).toBe(5000);
    expect(big.Owner).toMatchObject({
      id: expect.any(String),
      name: expect.any(String),
      email: org.users[0]!.email,
    });
    // Not set: null, as Zoho answers an empty currency field.
    expect(ana.body.data.find((d: { id: string }) => d.id === deals.small).Amount).toBeNull();
  });

  it('gives the Deals layouts and, per layout, each pipeline with its stages in order', async () => {
    const { tokens } = await setup();
    const layouts = await s.client.api(tokens, 'GET', '/settings/layouts?module=Deals');
    expect(layouts.status).toBe(200);
    expect(layouts.body.layouts).toHaveLength(1);
    const layoutId = layouts.body.layouts[0].id;
    expect(layoutId).toMatch(/^\d{19}$/);
    const res = await s.client.api(tokens, 'GET', `/settings/pipeline?layout_id=${layoutId}`);
    expect(res.status).toBe(200);
    const got = res.body.pipeline.map(
      (p: {
        display_value: string;
        default: boolean;
        maps: Array<{ display_value: string; sequence_number: number }>;
      }) => ({
        name: p.display_value,
        default: p.default,
        stages: p.maps.map((m) => m.display_value),
        sequence: p.maps.map((m) => m.sequence_number),
      }),
    );
    expect(got).toEqual([
      { name: 'Sales', default: true, stages: pipelines[0]!.stages, sequence: [1, 2, 3, 4, 5] },
      { name: 'Renewals', default: false, stages: pipelines[1]!.stages, sequence: [1, 2, 3, 4] },
    ]);
    const won = res.body.pipeline[0].maps[3];
    expect(won).toMatchObject({
      actual_value: 'Closed Won',
      forecast_type: 'Closed Won',
      id: expect.any(String),
    });
    const unknown = await s.client.api(tokens, 'GET', '/settings/pipeline?layout_id=1111111111111111111');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ code: 'INVALID_DATA', status: 'error' });
  });

  it('moves a deal to a stage of its own pipeline', async () => {
    const { tokens, deals } = await setup();
    const res = await s.client.api(tokens, 'PUT', `/Deals/${deals.big}`, {
      data: [{ Stage: 'Negotiation' }],
    });
    expect(res.status).toBe(200);
    expect(res.body.data[0]).toMatchObject({
      code: 'SUCCESS',
      message: 'record updated',
      details: { id: deals.big },
    });
    expect(await stageOf(tokens, deals.big!)).toBe('Negotiation');
  });

  it('refuses, per record, a stage of another pipeline', async () => {
    const { tokens, deals } = await setup();
    const single = await s.client.api(tokens, 'PUT', `/Deals/${deals.big}`, { data: [{ Stage: 'Renewed' }] });
    expect(single.status).toBe(400);
    expect(single.body.data[0]).toMatchObject({
      code: 'INVALID_DATA',
      status: 'error',
      details: { api_name: 'Stage', json_path: '$.data[0].Stage' },
    });
    expect(await stageOf(tokens, deals.big!)).toBe('Prospecting');
    const batch = await s.client.api(tokens, 'PUT', '/Deals', {
      data: [
        { id: deals.big, Stage: 'Closed Won' },
        { id: deals.renewal, Stage: 'Negotiation' },
        { id: deals.renewal, Stage: 'Renewal Quoted' },
      ],
    });
    expect(batch.status).toBe(207);
    expect(batch.body.data.map((d: { code: string }) => d.code)).toEqual([
      'SUCCESS',
      'INVALID_DATA',
      'SUCCESS',
    ]);
    expect(batch.body.data[1].details).toMatchObject({ api_name: 'Stage', json_path: '$.data[1].Stage' });
    expect(await stageOf(tokens, deals.big!)).toBe('Closed Won');
    expect(await stageOf(tokens, deals.renewal!)).toBe('Renewal Quoted');
  });

  it('refuses a direct stage change of a Blueprint-governed deal, but not its other fields', async () => {
    const { org, tokens, deals } = await setup();
    const bp = await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/blueprints`, {
      record_ids: [deals.big],
    });
    expect(bp.status).toBe(201);
    const res = await s.client.api(tokens, 'PUT', `/Deals/${deals.big}`, { data: [{ Stage: 'Demo' }] });
    expect(res.status).toBe(400);
    expect(res.body.data[0]).toMatchObject({
      code: 'RECORD_IN_BLUEPRINT',
      status: 'error',
      details: { api_name: 'Stage', id: deals.big },
    });
    expect(await stageOf(tokens, deals.big!)).toBe('Prospecting');
    const amount = await s.client.api(tokens, 'PUT', `/Deals/${deals.big}`, { data: [{ Amount: 7500 }] });
    expect(amount.status).toBe(200);
    // A deal outside the blueprint still moves freely.
    const other = await s.client.api(tokens, 'PUT', `/Deals/${deals.small}`, {
      data: [{ Stage: 'Negotiation' }],
    });
    expect(other.status).toBe(200);
  });

  it('governs every deal of a pipeline when the Blueprint is set on the pipeline', async () => {
    const { org, tokens, deals } = await setup();
    await s.client.json('POST', `/__sandbox/orgs/${org.org_id}/blueprints`, { pipeline: 'Renewals' });
    const res = await s.client.api(tokens, 'PUT', '/Deals', {
      data: [
        { id: deals.renewal, Stage: 'Renewed' },
        { id: deals.big, Stage: 'Demo' },
      ],
    });
    expect(res.status).toBe(207);
    expect(res.body.data.map((d: { code: string }) => d.code)).toEqual(['RECORD_IN_BLUEPRINT', 'SUCCESS']);
  });
});
