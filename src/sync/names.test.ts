import { describe, expect, it } from 'vitest';
import { nameFromEmail, personName, singleLine, splitFullName } from './names.ts';

describe('splitting a full name', () => {
  it.each([
    ['Ada Lovelace', 'Ada', 'Lovelace'],
    ['Mary Jane Watson', 'Mary Jane', 'Watson'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['Ana María de la Cruz', 'Ana María', 'de la Cruz'],
    ['Watson, Mary Jane', 'Mary Jane', 'Watson'],
    ['  Cher  ', undefined, 'Cher'],
  ])('%s → %s / %s', (full, first, last) => {
    expect(splitFullName(full)).toEqual({ firstName: first, lastName: last });
  });

  it('gives nothing for a blank name', () => {
    expect(splitFullName('   ')).toBeUndefined();
  });
});

describe('a name from an email address', () => {
  it.each([
    ['john.smith@example.com', 'John', 'Smith'],
    ['mary-jane.o_neil@example.com', 'Mary Jane O', 'Neil'],
    ['jsmith+crm@example.com', undefined, 'Jsmith'],
    ['12345@example.com', undefined, '12345'],
  ])('%s → %s / %s', (email, first, last) => {
    expect(nameFromEmail(email)).toEqual({ firstName: first, lastName: last });
  });
});

describe('personName', () => {
  it('prefers the first and last names the platform sends', () => {
    expect(
      personName({ email: 'a@x.com', name: 'Whatever Else', first_name: 'Ada', last_name: 'Lovelace' }),
    ).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
  });

  it('never leaves Last_Name empty: only a first name, or only an email', () => {
    expect(personName({ email: 'a@x.com', first_name: 'Ada' })).toEqual({
      firstName: undefined,
      lastName: 'Ada',
    });
    expect(personName({ email: 'grace.hopper@navy.mil' })).toEqual({
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    expect(personName({ email: '---@x.com' }).lastName).not.toBe('');
  });

  it('fits Zoho field lengths', () => {
    const n = personName({ email: 'a@x.com', first_name: 'F'.repeat(60), last_name: 'L'.repeat(100) });
    expect(n.firstName).toHaveLength(40);
    expect(n.lastName).toHaveLength(80);
  });
});

describe('L9: one-line Zoho fields', () => {
  it.each([
    ['Acme\r\nCorp', 'Acme Corp'],
    ['+44 20\r\n1234', '+44 20 1234'],
    ['Demo\n\nBooking id: bk_9 · logged by PepoSmart', 'Demo Booking id: bk_9 · logged by PepoSmart'],
    ['tab\tseparated', 'tab separated'],
    ['old\rMac', 'old Mac'],
    ['line\u2028separator\u2029paragraph', 'line separator paragraph'],
    ['form\ffeed\vvertical', 'form feed vertical'],
    ['  spaced \r\n  out  ', 'spaced out'],
    ['kept  double  spaces', 'kept  double  spaces'],
    ['plain', 'plain'],
  ])('%j → %j', (raw, line) => {
    expect(singleLine(raw)).toBe(line);
  });

  it('names never carry a line break or tab, whichever field they come from', () => {
    for (const a of [
      { email: 'a@x.com', name: 'Ada\r\nLovelace' },
      { email: 'a@x.com', first_name: 'Ada\n', last_name: 'Love\tlace' },
      { email: 'a@x.com', name: 'Lovelace,\nAda' },
    ]) {
      const n = personName(a);
      expect(`${n.firstName ?? ''}|${n.lastName}`).not.toMatch(/[\r\n\t]/);
    }
  });
});
