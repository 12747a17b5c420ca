import { describe, expect, it } from 'vitest';
import { type Tokens, uniqueEmail, useSandbox } from '../helpers/sandbox.ts';

describe('conformance 17: search by email', () => {
  const s = useSandbox();
  // Orgs here have no search lag unless the test is about it (c47 covers the default lag).

  const create = async (tokens: Tokens, module: 'Contacts' | 'Leads', record: Record<string, unknown>) => {
    const res = await s.client.api(tokens, 'POST', `/${module}`, { data: [record] });
    expect(res.status).toBe(201);
    return res.body.data[0].details.id as string;
  };
  const search = (tokens: Tokens, module: string, query: string) =>
    s.client.api(tokens, 'GET', `/${module}/search?${query}`);
  const ids = (body: { data: Array<{ id: string }> }) => body.data.map((r) => r.id);

  it('matches case-insensitively and answers Zoho’s result shape', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('Mixed.Case');
    const id = await create(tokens, 'Contacts', { Last_Name: 'Case', Email: email });
    const res = await search(tokens, 'Contacts', `email=${encodeURIComponent(email.toUpperCase())}`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual([id]);
    expect(res.body.data[0]).toMatchObject({ Email: email, Last_Name: 'Case' });
    expect(res.body.info).toEqual({ per_page: 200, count: 1, page: 1, more_records: false });
  });

  it('answers 204 with an empty body when nothing matches', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    await create(tokens, 'Contacts', { Last_Name: 'Someone', Email: uniqueEmail('someone') });
    const res = await search(tokens, 'Contacts', `email=${encodeURIComponent(uniqueEmail('nobody'))}`);
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
  });

  it('finds the same records with criteria=(Email:equals:…) as with email=', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('crit');
    const id = await create(tokens, 'Contacts', { Last_Name: 'Crit', Email: email });
    await create(tokens, 'Contacts', { Last_Name: 'Other', Email: uniqueEmail('other') });
    const byEmail = await search(tokens, 'Contacts', `email=${encodeURIComponent(email)}`);
    const byCriteria = await search(
      tokens,
      'Contacts',
      `criteria=${encodeURIComponent(`(Email:equals:${email.toUpperCase()})`)}`,
    );
    expect(byEmail.status).toBe(200);
    expect(byCriteria.status).toBe(200);
    expect(ids(byCriteria.body)).toEqual([id]);
    expect(byCriteria.body).toEqual(byEmail.body);
    const none = await search(
      tokens,
      'Contacts',
      `criteria=${encodeURIComponent(`(Email:equals:${uniqueEmail('none')})`)}`,
    );
    expect(none.status).toBe(204);
    expect(none.text).toBe('');
  });

  it('keeps a + in the email when encoded with encodeURIComponent; an unencoded + is a space', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('jo+crm');
    expect(email).toContain('+');
    const id = await create(tokens, 'Contacts', { Last_Name: 'Plus', Email: email });
    const encoded = await search(tokens, 'Contacts', `email=${encodeURIComponent(email)}`);
    expect(encoded.status).toBe(200);
    expect(ids(encoded.body)).toEqual([id]);
    const criteria = await search(
      tokens,
      'Contacts',
      `criteria=${encodeURIComponent(`(Email:equals:${email})`)}`,
    );
    expect(ids(criteria.body)).toEqual([id]);
    // Form-decoded, a raw "+" arrives as a space: the address no longer matches.
    const raw = await search(tokens, 'Contacts', `email=${email}`);
    expect(raw.status).toBe(204);
    expect(raw.text).toBe('');
  });

  it('never returns Contacts from a Leads search, nor Leads from a Contacts search', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 0 });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('both');
    const q = `email=${encodeURIComponent(email)}`;
    const contactId = await create(tokens, 'Contacts', { Last_Name: 'Contact', Email: email });
    const leadsBefore = await search(tokens, 'Leads', q);
    expect(leadsBefore.status).toBe(204);
    expect(leadsBefore.text).toBe('');
    const leadId = await create(tokens, 'Leads', { Last_Name: 'Lead', Company: 'Acme', Email: email });
    const leads = await search(tokens, 'Leads', q);
    expect(leads.status).toBe(200);
    expect(ids(leads.body)).toEqual([leadId]);
    const contacts = await search(tokens, 'Contacts', q);
    expect(ids(contacts.body)).toEqual([contactId]);
  });

  it('hides a just-created record from search until the org’s search lag has passed', async () => {
    const org = await s.client.createOrg({ search_lag_ms: 30_000 });
    const tokens = await s.client.tokens(org);
    const email = uniqueEmail('lag');
    const q = `email=${encodeURIComponent(email)}`;
    const id = await create(tokens, 'Contacts', { Last_Name: 'Lagging', Email: email });
    // The record exists (a get finds it) but is not yet in the search index.
    expect((await s.client.api(tokens, 'GET', `/Contacts/${id}`)).status).toBe(200);
    const early = await search(tokens, 'Contacts', q);
    expect(early.status).toBe(204);
    await s.client.advanceClock(20);
    expect((await search(tokens, 'Contacts', q)).status).toBe(204);
    await s.client.advanceClock(11);
    const later = await search(tokens, 'Contacts', q);
    expect(later.status).toBe(200);
    expect(ids(later.body)).toEqual([id]);
  });
});
