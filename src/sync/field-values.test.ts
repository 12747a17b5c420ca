import { describe, expect, it } from 'vitest';
import { zohoDateTime } from '../zoho/events.ts';
import type { ZohoField } from '../zoho/fields.ts';
import { checkValue } from './field-check.ts';
import { type FieldRow, parseRows, type ValueContext, type ValueSource, valuesFor } from './field-values.ts';

const field = (apiName: string, dataType: string, more: Partial<ZohoField> = {}): ZohoField => ({
  apiName,
  label: apiName.replace(/_/g, ' '),
  dataType,
  jsonType: 'string',
  length: null,
  decimalPlace: null,
  picklist: null,
  creatable: true,
  mandatory: false,
  ...more,
});

const leadSource = field('Lead_Source', 'picklist', {
  picklist: [
    { display: '-None-', actual: '-None-' },
    { display: 'Web Download', actual: 'Web Download' },
    { display: 'PepoSmart booking', actual: 'PepoSmart' },
  ],
});
const fields: ZohoField[] = [
  leadSource,
  field('Campaign', 'text', { length: 20 }),
  field('Notes_Long', 'textarea', { length: 2000 }),
  field('Meeting_Type', 'text', { length: 100 }),
  field('Booked_On', 'date'),
  field('Booked_At', 'datetime'),
  field('Seats', 'integer', { jsonType: 'integer', length: 9 }),
  field('Budget', 'currency', { jsonType: 'double', length: 16, decimalPlace: 2 }),
  field('Opt_In', 'boolean', { jsonType: 'boolean' }),
  field('Work_Email', 'email'),
  field('Topics', 'multiselectpicklist', {
    jsonType: 'jsonarray',
    picklist: [
      { display: 'Pricing', actual: 'Pricing' },
      { display: 'Security', actual: 'Security' },
      { display: 'Onboarding, training', actual: 'Onboarding, training' },
    ],
  }),
];

let n = 0;
const row = (module: FieldRow['module'], f: string, source: ValueSource): FieldRow => ({
  id: `r${++n}`,
  module,
  field: f,
  label: f.replace(/_/g, ' '),
  source,
});

const ctx: ValueContext = {
  eventTypeName: 'Discovery call',
  responses: { 'How many seats?': '25', 'Topics to cover': 'Pricing; Security', 'Budget (EUR)': '1200.5' },
  utm: { source: 'newsletter', campaign: 'winter-2026' },
  bookedAt: { at: '2026-12-01T23:30:00Z', timeZone: 'Europe/Berlin' },
};

describe('valuesFor: each value source with the field’s type', () => {
  it('writes a fixed picklist value as its actual value, the event type, answers, UTM and the booking date', () => {
    const rows = [
      row('Leads', 'Lead_Source', { kind: 'fixed', value: 'PepoSmart booking' }),
      row('Leads', 'Meeting_Type', { kind: 'event_type' }),
      row('Leads', 'Seats', { kind: 'response', question: 'How many seats?' }),
      row('Leads', 'Topics', { kind: 'response', question: 'topics to cover ' }),
      row('Leads', 'Budget', { kind: 'response', question: 'Budget (EUR)' }),
      row('Leads', 'Campaign', { kind: 'utm', key: 'campaign' }),
      row('Leads', 'Booked_On', { kind: 'booking_date' }),
      row('Leads', 'Booked_At', { kind: 'booking_date' }),
      row('Leads', 'Opt_In', { kind: 'fixed', value: 'Yes' }),
    ];
    expect(valuesFor(rows, 'Leads', ctx, fields)).toEqual({
      values: {
        Lead_Source: 'PepoSmart',
        Meeting_Type: 'Discovery call',
        Seats: 25,
        Topics: ['Pricing', 'Security'],
        Budget: 1200.5,
        Campaign: 'winter-2026',
        // 23:30 UTC is already the next day in Berlin.
        Booked_On: '2026-12-02',
        Booked_At: '2026-12-02T00:30:00+01:00',
        Opt_In: true,
      },
      warnings: [],
      missing: [],
    });
  });

  it('only the target’s rows count, and never a field PepoSmart writes itself', () => {
    const rows = [
      row('Contacts', 'Campaign', { kind: 'utm', key: 'source' }),
      row('Leads', 'Campaign', { kind: 'utm', key: 'campaign' }),
      row('Leads', 'Last_Name', { kind: 'fixed', value: 'Overwritten' }),
    ];
    expect(valuesFor(rows, 'Contacts', ctx, fields).values).toEqual({ Campaign: 'newsletter' });
    expect(valuesFor(rows, 'Leads', ctx, [...fields, field('Last_Name', 'text')]).values).toEqual({
      Campaign: 'winter-2026',
    });
  });

  it('a value that does not fit is left out with a warning naming the field and the source', () => {
    const rows = [
      row('Leads', 'Lead_Source', { kind: 'utm', key: 'source' }),
      row('Leads', 'Seats', { kind: 'response', question: 'Budget (EUR)' }),
      row('Leads', 'Campaign', { kind: 'event_type' }),
    ];
    const out = valuesFor(rows, 'Leads', { ...ctx, eventTypeName: 'A very long event type name' }, fields);
    expect(out.values).toEqual({});
    expect(out.warnings).toEqual([
      'Field “Lead Source” of the new Lead left empty: “newsletter” is not one of the field’s picklist values (from UTM source).',
      'Field “Seats” of the new Lead left empty: “1200.5” is not a whole number (from the answer to “Budget (EUR)”).',
      'Field “Campaign” of the new Lead left empty: “A very long event type name” is longer than the field’s 20 characters (from the event type’s name).',
    ]);
  });

  it('a field no longer in the org is left out, named as missing, with a warning', () => {
    const rows = [row('Events', 'Deleted_Field', { kind: 'fixed', value: 'x' })];
    const out = valuesFor(rows, 'Events', ctx, fields);
    expect(out.values).toEqual({});
    expect(out.missing).toEqual(['Deleted_Field']);
    expect(out.warnings[0]).toMatch(
      /^Field “Deleted Field” of the Meeting left empty: the field Deleted_Field is no longer in Zoho CRM/,
    );
  });

  it('without a field list nothing is written and each row says why', () => {
    const out = valuesFor([row('Leads', 'Campaign', { kind: 'fixed', value: 'x' })], 'Leads', ctx, undefined);
    expect(out).toEqual({
      values: {},
      warnings: [
        'Field “Campaign” of the new Lead left empty: PepoSmart could not read the field list from Zoho CRM.',
      ],
      missing: [],
    });
  });

  it('a booking without the value leaves the field empty quietly, except a question the form no longer has', () => {
    const rows = [
      row('Leads', 'Campaign', { kind: 'utm', key: 'term' }),
      row('Leads', 'Meeting_Type', { kind: 'event_type' }),
      row('Leads', 'Seats', { kind: 'response', question: 'Seats wanted' }),
    ];
    expect(valuesFor(rows, 'Leads', { bookedAt: ctx.bookedAt }, fields)).toEqual({
      values: {},
      warnings: [],
      missing: [],
    });
    expect(valuesFor(rows, 'Leads', ctx, fields).warnings).toEqual([
      'Field “Seats” of the new Lead left empty: the booking form has no question “Seats wanted”.',
    ]);
  });
});

describe('checkValue by Zoho field type', () => {
  const cases: Array<[ZohoField, string, unknown]> = [
    [field('T', 'text', { length: 10 }), 'two\nlines', 'two lines'],
    [field('T', 'textarea', { length: 20 }), 'two\nlines', 'two\nlines'],
    [field('E', 'email'), ' ada@analytical.example ', 'ada@analytical.example'],
    [field('W', 'website'), 'https://peposmart.example/book', 'https://peposmart.example/book'],
    [field('D', 'date'), '2026-02-28', '2026-02-28'],
    [field('DT', 'datetime'), '2026-12-01T10:00:00Z', '2026-12-01T10:00:00+00:00'],
    [field('DT', 'datetime'), '2026-12-01T10:00:00-05:30', '2026-12-01T10:00:00-05:30'],
    [field('I', 'integer', { jsonType: 'integer' }), '-42', -42],
    [field('B', 'bigint', { jsonType: 'string' }), '123456789012345678', '123456789012345678'],
    [field('P', 'percent', { jsonType: 'double', decimalPlace: 2 }), '12.25', 12.25],
    [field('X', 'boolean', { jsonType: 'boolean' }), 'no', false],
    [leadSource, 'web download', 'Web Download'],
  ];
  it.each(cases)('%o takes %j as %j', (f, raw, value) => {
    expect(checkValue(f, raw)).toEqual({ ok: true, value });
  });

  const refused: Array<[ZohoField, string, string]> = [
    [field('T', 'text', { length: 5 }), 'toolong', 'longer than the field’s 5 characters'],
    [field('T', 'text'), '   ', 'the value is empty'],
    [field('E', 'email'), 'not an address', 'not an email address'],
    [field('W', 'website'), 'two words', 'not a web address'],
    [field('D', 'date'), '2026-02-30', 'not a date written yyyy-MM-dd'],
    [field('D', 'date'), '01/12/2026', 'not a date written yyyy-MM-dd'],
    [field('DT', 'datetime'), '2026-12-01T10:00:00.123Z', 'not a date and time'],
    [field('DT', 'datetime'), '2026-12-01 10:00', 'not a date and time'],
    [field('I', 'integer'), '2147483648', 'too large for the field'],
    [field('I', 'integer', { length: 3 }), '1234', 'more than the field’s 3 digits'],
    [field('I', 'integer'), '1.5', 'not a whole number'],
    [field('C', 'currency', { decimalPlace: 2 }), '1.005', 'more than the field’s 2 decimal places'],
    [field('C', 'currency'), '12 EUR', 'not a number'],
    [field('X', 'boolean'), 'maybe', 'not yes or no'],
    [leadSource, '-None-', 'not one of the field’s picklist values'],
    [field('L', 'lookup'), '123', 'cannot write a lookup field'],
    [field('R', 'text', { creatable: false }), 'x', 'does not let an API write set this field'],
  ];
  it.each(refused)('%o refuses %j', (f, raw, reason) => {
    const out = checkValue(f, raw);
    expect(out.ok).toBe(false);
    expect(out.ok ? '' : out.reason).toContain(reason);
  });

  it('a multi-select picklist takes one value with a comma in it, or a list of values', () => {
    const topics = fields.find((f) => f.apiName === 'Topics')!;
    expect(checkValue(topics, 'Onboarding, training')).toEqual({ ok: true, value: ['Onboarding, training'] });
    expect(checkValue(topics, 'pricing, Security, Pricing')).toEqual({
      ok: true,
      value: ['Pricing', 'Security'],
    });
    expect(checkValue(topics, 'Pricing; Golf').ok).toBe(false);
  });
});

describe('zohoDateTime', () => {
  it('writes the instant in the zone with its offset, no fraction, midnight as 00', () => {
    expect(zohoDateTime('2026-07-01T22:00:00.500Z', 'Europe/Berlin')).toBe('2026-07-02T00:00:00+02:00');
    expect(zohoDateTime('2026-12-01T10:00:00Z', 'UTC')).toBe('2026-12-01T10:00:00+00:00');
    expect(zohoDateTime('2026-12-01T10:00:00Z', 'Asia/Kolkata')).toBe('2026-12-01T15:30:00+05:30');
    expect(zohoDateTime('2026-12-01T10:00:00Z', 'America/New_York')).toBe('2026-12-01T05:00:00-05:00');
  });
});

describe('parseRows', () => {
  it('keeps well-formed rows and leaves out the rest', () => {
    const good = row('Leads', 'Campaign', { kind: 'utm', key: 'medium' });
    expect(parseRows([good, { id: 'x', module: 'Deals' }, null])).toEqual([good]);
    expect(parseRows(null)).toEqual([]);
  });
});
