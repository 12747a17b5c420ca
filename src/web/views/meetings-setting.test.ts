import { describe, expect, it } from 'vitest';
import type { Connection } from '../../connections/repo.ts';
import { meetingScopes, requestedScopes } from '../../connections/scopes.ts';
import { meetingsConsentStep, meetingsSetting } from './meetings-setting.ts';

const granted = [...requestedScopes, ...meetingScopes.map((s) => s.scope)].join(' ');

function connection(syncMeetings: boolean, scopes: string): Connection {
  return {
    id: 'conn_1',
    workspaceId: 'ws_demo',
    userId: 'usr_alex',
    status: 'connected',
    dataCentre: 'us',
    accountsServer: 'https://accounts.zoho.com',
    apiDomain: 'https://www.zohoapis.com',
    scopes,
    zohoUser: { id: '1', name: 'Alex', email: 'alex@example.com' },
    zohoOrg: { id: '2', name: 'Org' },
    settings: {
      newAttendeeModule: 'Contacts',
      syncBookings: true,
      syncNotes: true,
      syncTasks: true,
      suggestDealStages: true,
      onlyExisting: false,
      fireWorkflows: false,
      syncMeetings,
      skipInternal: true,
      internalDomains: [],
      eventTypes: null,
    },
    problem: null,
    connectedAt: new Date('2026-12-06T00:00:00Z'),
  };
}

describe('the Meetings setting on the card', () => {
  it('off: unticked, and says why Zoho will ask again', () => {
    const html = meetingsSetting(connection(false, requestedScopes.join(' ')), 'tok').toString();
    expect(html).toContain('action="/integrations/zoho/meetings"');
    expect(html).toContain("Add meetings to Zoho CRM's calendar");
    expect(html).not.toContain('checked');
    expect(html).toMatch(/id="meetings-state"[^>]*>Off</);
    expect(html).toContain('Zoho asks you once more');
    expect(html).not.toContain('id="meetings-allow"');
  });

  it('on without the permission: waiting, with the way to Zoho’s consent', () => {
    const html = meetingsSetting(connection(true, requestedScopes.join(' ')), 'tok').toString();
    expect(html).toContain(' checked');
    expect(html).toContain('Waiting for Zoho&#39;s permission');
    expect(html).toContain('id="meetings-allow"');
    expect(html).toContain('href="/integrations/zoho/meetings"');
  });

  it('on with the permission: on, and no request to Zoho', () => {
    const html = meetingsSetting(connection(true, granted), 'tok').toString();
    expect(html).toMatch(/id="meetings-state"[^>]*>On</);
    expect(html).not.toContain('Zoho asks you once more');
    expect(html).not.toContain('id="meetings-allow"');
  });

  it('the consent step names each added scope and links to Zoho’s consent', () => {
    const html = meetingsConsentStep().toString();
    for (const s of meetingScopes) expect(html).toContain(`<code>${s.scope}</code>`);
    expect(html).toContain('href="/integrations/zoho/connect"');
    expect(html).toContain('href="/integrations"');
  });
});
