import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { readFieldCache, readFieldRows } from '../../src/connections/zoho-fields.ts';
import { AppSession, otherAdmin, zohoEmail } from '../helpers/app.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import { useSandbox } from '../helpers/sandbox.ts';

const sb = useSandbox();

describe.each(databaseKinds)('field value routes on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  const rows = (c: Connected) => readFieldRows(c.app.db, 'ws_demo', c.connectionId);

  it('require sign-in, and a form’s CSRF token', async () => {
    c = await connectedApp(sb, kind);
    const anonymous = new AppSession(c.app.url);
    const page = await anonymous.get('/integrations/zoho/field-rows/new?field=Leads.Title');
    expect(page.status).toBe(303);
    expect(page.location?.pathname).toBe('/signin');
    for (const path of [
      '/integrations/zoho/field-rows',
      '/integrations/zoho/fields/refresh',
      '/integrations/zoho/field-rows/x/remove',
    ])
      expect((await anonymous.post(path, { field: 'Leads.Title', source: 'event_type' }, false)).status).toBe(
        401,
      );
    const noToken = await c.session.post('/integrations/zoho/fields/refresh', {}, false);
    expect(noToken.status).toBe(403);
    expect((await readFieldCache(c.app.db, 'ws_demo', c.connectionId)).readAt).toBeNull();
  });

  it('Read fields stores the org’s lists; the value step offers a picklist’s own values; a bad value is refused with its message', async () => {
    c = await connectedApp(sb, kind);
    expect((await c.session.post('/integrations/zoho/fields/refresh')).location?.hash).toBe('#field-rows');
    const cache = await readFieldCache(c.app.db, 'ws_demo', c.connectionId);
    expect(cache.readAt).not.toBeNull();
    expect(
      cache.lists.Leads?.find((f) => f.apiName === 'Lead_Status')?.picklist?.map((v) => v.actual),
    ).toContain('Contacted');

    const step = await c.session.get('/integrations/zoho/field-rows/new?field=Leads.Lead_Status');
    expect(step.status).toBe(200);
    expect(step.html).toContain('<option value="Contacted">Contacted</option>');
    expect(step.html).not.toContain('<option value="-None-">');
    expect(step.html).not.toMatch(/<script/i);

    const bad = await c.session.post('/integrations/zoho/field-rows', {
      field: 'Leads.Lead_Status',
      source: 'fixed',
      fixed_value: 'Golfing',
    });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('id="value-problems"');
    expect(bad.html).toContain(
      '<a href="#value-fixed">This value does not fit the field: “Golfing” is not one',
    );
    expect(bad.html).toContain('aria-describedby="value-fixed-error"');
    const noQuestion = await c.session.post('/integrations/zoho/field-rows', {
      field: 'Leads.Title',
      source: 'response',
      question: ' ',
    });
    expect(noQuestion.status).toBe(400);
    expect(noQuestion.html).toContain('id="value-question-error"');
    expect(await rows(c)).toEqual([]);

    // A field PepoSmart writes itself, or one the org does not have, is not offered.
    for (const field of ['Leads.Last_Name', 'Leads.Nope', 'Deals.Stage']) {
      const res = await c.session.post('/integrations/zoho/field-rows', { field, source: 'event_type' });
      expect(res.status).toBe(303);
      expect((await c.session.get(`/integrations/zoho/field-rows/new?field=${field}`)).status).toBe(303);
    }
    expect(await rows(c)).toEqual([]);
  });

  it('Zoho refusing the field list: the card’s Read says so and keeps the lists it had', async () => {
    c = await connectedApp(sb, kind);
    await c.session.post('/integrations/zoho/fields/refresh');
    const before = await readFieldCache(c.app.db, 'ws_demo', c.connectionId);
    await sb.client.fault(c.org, 'GET', '/settings/fields', {
      status: 403,
      count: 1,
      body: { code: 'NO_PERMISSION', details: {}, message: 'permission denied', status: 'error' },
    });
    const res = await c.session.post('/integrations/zoho/fields/refresh');
    expect(res.status).toBe(502);
    expect(res.html).toContain('id="fields-problem"');
    expect(res.html).toContain('Zoho CRM did not give PepoSmart the field list.');
    expect(await readFieldCache(c.app.db, 'ws_demo', c.connectionId)).toEqual(before);
  });

  it('one row per field; Remove takes it away', async () => {
    c = await connectedApp(sb, kind);
    await c.session.post('/integrations/zoho/fields/refresh');
    const add = () =>
      c!.session.post('/integrations/zoho/field-rows', { field: 'Leads.Title', source: 'event_type' });
    expect((await add()).status).toBe(303);
    const again = await add();
    expect(again.status).toBe(400);
    expect(again.html).toContain('This field already has a value');
    const [row] = await rows(c);
    expect(row).toMatchObject({
      module: 'Leads',
      field: 'Title',
      label: 'Title',
      source: { kind: 'event_type' },
    });
    expect((await c.session.post(`/integrations/zoho/field-rows/${row!.id}/remove`)).status).toBe(303);
    expect(await rows(c)).toEqual([]);
  });

  it('cannot see or change another workspace’s rows', async () => {
    c = await connectedApp(sb, kind);
    await c.session.post('/integrations/zoho/fields/refresh');
    await c.session.post('/integrations/zoho/field-rows', { field: 'Leads.Title', source: 'event_type' });
    const [row] = await rows(c);
    const olga = await c.app.signIn(otherAdmin.id);
    // Without a connection of her own, her value step and her adds go back to the card.
    expect((await olga.get('/integrations/zoho/field-rows/new?field=Leads.Title')).status).toBe(303);
    const theirOrg = await sb.client.createOrg();
    expect((await olga.connect(sb.base, zohoEmail(theirOrg))).location?.search).toBe('?done=connected');
    await olga.post('/integrations/zoho/fields/refresh');
    expect((await olga.post(`/integrations/zoho/field-rows/${row!.id}/remove`)).status).toBe(303);
    await olga.post('/integrations/zoho/field-rows', { field: 'Leads.Website', source: 'event_type' });
    const theirs = (await findConnection(c.app.db, 'ws_other', otherAdmin.id))!;
    expect((await readFieldRows(c.app.db, 'ws_other', theirs.id)).map((r) => r.field)).toEqual(['Website']);
    expect(await rows(c)).toEqual([row]);
  });
});
