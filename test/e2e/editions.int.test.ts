import { afterEach, describe, expect, it } from 'vitest';
import { findConnection } from '../../src/connections/repo.ts';
import { concurrencyFor } from '../../src/zoho/editions.ts';
import { type Connected, connectedApp } from '../helpers/connected.ts';
import { databaseKinds } from '../helpers/db.ts';
import type { OrgInput } from '../helpers/sandbox.ts';
import { useSandbox } from '../helpers/sandbox.ts';

/**
 * The edition an org is held to sets how many Zoho calls at once PepoSmart makes for it
 * (ZOHO-API.md §6, §8). Read from GET /org's license_details at connect: a trial org reads
 * paid false, paid_type "free", trial_type the edition on trial, and is held to the Free
 * limit; a bundle (Zoho One, CRM Plus) to its edition's; a name we do not know to the smallest.
 */
const sb = useSandbox();

const cases: Array<[string, OrgInput, string | null, number]> = [
  ['a Professional org', { edition: 'professional' }, 'professional', 15],
  ['a Professional trial', { edition: 'free', trial: { edition: 'professional' } }, 'free', 5],
  ['Zoho One', { edition: 'enterprise', paid_type: 'zohoone' }, 'enterprise', 20],
  ['CRM Plus', { edition: 'ultimate', paid_type: 'crmplus' }, 'ultimate', 25],
  ['an edition name PepoSmart does not know', { edition: 'standard', paid_type: 'platinum' }, null, 5],
];

describe.each(databaseKinds)('the edition a connected org is held to, on %s', (kind) => {
  let c: Connected | undefined;
  afterEach(async () => {
    await c?.app.close();
    c = undefined;
  });

  it.each(cases)('%s', async (_name, org, edition, limit) => {
    c = await connectedApp(sb, kind, org);
    const { rows } = await c.app.db.query<{ zoho_edition: string | null }>(
      'SELECT zoho_edition FROM connections WHERE id = $1',
      [c.connectionId],
    );
    expect(rows[0]?.zoho_edition).toBe(edition);
    expect(concurrencyFor(rows[0]?.zoho_edition)).toBe(limit);
    expect((await findConnection(c.app.db, 'ws_demo', 'usr_alex'))?.status).toBe('connected');
  });

  it('a trial that becomes paid is held to its new edition after Check connection', async () => {
    c = await connectedApp(sb, kind, { edition: 'free', trial: { edition: 'professional' } });
    const edition = async () =>
      (
        await c!.app.db.query<{ zoho_edition: string | null }>(
          'SELECT zoho_edition FROM connections WHERE id = $1',
          [c!.connectionId],
        )
      ).rows[0]?.zoho_edition;
    expect(await edition()).toBe('free');
    const bought = await sb.client.json('PATCH', `/__sandbox/orgs/${c.org.org_id}`, {
      edition: 'professional',
    });
    expect(bought.status).toBe(200);
    expect((await c.session.post('/integrations/zoho/check')).status).toBe(303);
    expect(await edition()).toBe('professional');
  });
});
