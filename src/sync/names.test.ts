import { describe, expect, it } from 'vitest';
import { nameFromEmail, personName, splitFullName } from './names.ts';

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
