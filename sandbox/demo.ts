import type { SandboxCore } from './core.ts';
import { createOrg, type NewOrg } from './orgs.ts';

/**
 * Demo orgs for the out-of-the-box product: one in the US and one in the EU, so connecting
 * shows data-centre handling. Created once; a restart with the same data folder keeps them.
 */
export const demoOrgs: NewOrg[] = [
  {
    name: 'Northwind Traders (US)',
    edition: 'enterprise',
    data_center: 'us',
    users: [
      {
        email: 'alex.morgan@northwind.example',
        first_name: 'Alex',
        last_name: 'Morgan',
        profile: 'Administrator',
      },
    ],
  },
  {
    name: 'Blauwal GmbH (EU)',
    edition: 'professional',
    data_center: 'eu',
    time_zone: 'Europe/Berlin',
    users: [
      {
        email: 'sam.rivera@blauwal.example',
        first_name: 'Sam',
        last_name: 'Rivera',
        profile: 'Administrator',
      },
    ],
  },
];

export function seedDemoOrgs(core: SandboxCore): Array<{ email: string; org: string; dataCentre: string }> {
  for (const input of demoOrgs) {
    if (!Object.values(core.state.orgs).some((o) => o.name === input.name)) createOrg(core, input);
  }
  core.changed();
  return demoOrgs.map((o) => ({ email: o.users[0]!.email, org: o.name, dataCentre: o.data_center }));
}
