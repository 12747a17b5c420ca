import { describe, expect, it } from 'vitest';
import type { FieldCache } from '../../connections/zoho-fields.ts';
import type { FieldRow } from '../../sync/field-values.ts';
import type { ZohoField } from '../../zoho/fields.ts';
import { fieldRowsSection, leadSourceHint, offeredFields, valueForm } from './field-rows.ts';

const field = (apiName: string, dataType: string, more: Partial<ZohoField> = {}): ZohoField => ({
  apiName,
  label: apiName.replace(/_/g, ' '),
  dataType,
  jsonType: 'string',
  length: 255,
  decimalPlace: null,
  picklist: null,
  creatable: true,
  mandatory: false,
  ...more,
});

const leadSource = field('Lead_Source', 'picklist', {
  label: 'Lead Source',
  picklist: [
    { display: '-None-', actual: '-None-' },
    { display: 'Cold Call', actual: 'Cold Call' },
    { display: 'Pepo Smart <booking>', actual: 'PepoSmart' },
  ],
});
const cache: FieldCache = {
  readAt: new Date('2026-12-06T22:10:00Z'),
  lists: {
    Leads: [
      field('Last_Name', 'text'),
      field('Title', 'text'),
      field('Created_By', 'ownerlookup'),
      field('Lead_No', 'autonumber', { creatable: false }),
      field('Budget', 'currency', { creatable: true }),
      leadSource,
    ],
    Contacts: [field('Department', 'text')],
  },
};
const row = (over: Partial<FieldRow> = {}): FieldRow => ({
  id: 'row-1',
  module: 'Leads',
  field: 'Title',
  label: 'Title',
  source: { kind: 'event_type' },
  ...over,
});

describe('the card’s field values section', () => {
  it('before the fields are read: says so, offers to read them, no field to choose', () => {
    const out = fieldRowsSection(
      { rows: [], cache: { lists: {}, readAt: null }, meetingsOn: true },
      'tok',
    ).value;
    expect(out).toContain('id="field-rows-none"');
    expect(out).toContain('Read fields from Zoho CRM');
    expect(out).toContain('Fields not read yet');
    expect(out).not.toContain('id="field-rows-add"');
    expect(out).toContain('name="_csrf" value="tok"');
  });

  it('offers writable fields of each module, grouped, never PepoSmart’s own, lookups or read-only ones', () => {
    expect(offeredFields(cache, 'Leads').map((f) => f.apiName)).toEqual(['Budget', 'Lead_Source', 'Title']);
    const out = fieldRowsSection({ rows: [], cache, meetingsOn: true }, 'tok').value;
    expect(out).toContain(
      '<optgroup label="New Contacts"><option value="Contacts.Department">Department</option></optgroup>',
    );
    expect(out).toContain('<option value="Leads.Title">Title</option>');
    expect(out).not.toContain('Leads.Last_Name');
    expect(out).not.toContain('<optgroup label="Meetings">');
    expect(out).toContain('<time datetime="2026-12-06T22:10:00.000Z">2026-12-06 22:10 UTC</time>');
  });

  it('lists rows with Remove, and marks a row whose field the org no longer has', () => {
    const rows = [
      row(),
      row({ id: 'row-2', field: 'Budget_c', label: 'Old <budget>', source: { kind: 'fixed', value: '10' } }),
    ];
    const out = fieldRowsSection({ rows, cache, meetingsOn: false }, 'tok').value;
    expect(out).toContain('action="/integrations/zoho/field-rows/row-1/remove"');
    expect(out).toContain('aria-label="Remove Title of new leads"');
    expect(out).toContain('<strong>Title</strong> of new leads ← the event type’s name</span>');
    expect(out).toContain(
      '<strong>Old &lt;budget&gt;</strong> of new leads ← “10” <span class="badge failed">No longer in Zoho CRM</span>',
    );
    expect(out.match(/No longer in Zoho CRM/g)).toHaveLength(1);
  });

  it('Meetings fields are offered only while Meetings are synced; their rows say when they are off', () => {
    const withEvents: FieldCache = {
      ...cache,
      lists: { ...cache.lists, Events: [field('Agenda', 'textarea')] },
    };
    const meetingRow = row({ id: 'row-3', module: 'Events', field: 'Agenda', label: 'Agenda' });
    const on = fieldRowsSection({ rows: [meetingRow], cache: withEvents, meetingsOn: true }, 'tok').value;
    expect(on).toContain(
      '<optgroup label="Meetings"><option value="Events.Agenda">Agenda</option></optgroup>',
    );
    expect(on).not.toContain('Meetings are off');
    const off = fieldRowsSection({ rows: [meetingRow], cache: withEvents, meetingsOn: false }, 'tok').value;
    expect(off).not.toContain('value="Events.Agenda"');
    expect(off).toContain(
      'of meetings ← the event type’s name <span class="badge neutral">Meetings are off</span>',
    );
  });

  it('hints at the org’s PepoSmart-like Lead Source value until a row sets Lead Source', () => {
    expect(leadSourceHint([], cache)).toMatchObject({ module: 'Leads', value: { actual: 'PepoSmart' } });
    const out = fieldRowsSection({ rows: [], cache, meetingsOn: true }, 'tok').value;
    expect(out).toContain('id="lead-source-hint"');
    expect(out).toContain('Your Lead Source list has “Pepo Smart &lt;booking&gt;”');
    expect(out).toContain('name="fixed_value" value="PepoSmart"');
    expect(leadSourceHint([row({ field: 'Lead_Source' })], cache)).toBeUndefined();
    const noValue = { ...cache, lists: { Leads: [field('Lead_Source', 'picklist', { picklist: [] })] } };
    expect(leadSourceHint([], noValue)).toBeUndefined();
  });
});

describe('the value step', () => {
  it('a picklist’s values in a select (without -None-); booking date only for date and text fields', () => {
    const out = valueForm('Leads', leadSource, 'tok').value;
    expect(out).toContain('<option value="Cold Call">Cold Call</option>');
    expect(out).not.toContain('-None-');
    expect(out).not.toContain('value="booking_date"');
    expect(valueForm('Leads', field('Budget', 'currency'), 'tok').value).not.toContain('booking_date');
    expect(valueForm('Events', field('Booked_On', 'date'), 'tok').value).toContain('value="booking_date"');
  });

  it('errors: a summary linking to each field, the message beside it, the input kept', () => {
    const out = valueForm(
      'Leads',
      field('Title', 'text'),
      'tok',
      { source: 'response', question: '<b>' },
      { question: 'Enter the question' },
    ).value;
    expect(out).toContain('<li><a href="#value-question">Enter the question</a></li>');
    expect(out).toContain('<p class="field-error" id="value-question-error">Enter the question</p>');
    expect(out).toContain('aria-invalid="true" aria-describedby="value-question-error"');
    expect(out).toContain('value="&lt;b&gt;"');
    expect(out).toMatch(/value="response" id="value-source-response" checked/);
  });
});
