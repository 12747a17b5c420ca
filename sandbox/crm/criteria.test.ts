import { describe, expect, it } from 'vitest';
import { CriteriaError, matches, parseCriteria } from './criteria.ts';

const rec = { Email: 'Jo.Park@Example.com', Last_Name: 'Burns, Jr', First_Name: 'Jo', Amount: '1500' };

describe('search criteria', () => {
  it('matches a single condition case-insensitively', () => {
    expect(matches(parseCriteria('(Email:equals:jo.park@example.com)'), rec)).toBe(true);
    expect(matches(parseCriteria('(Email:equals:other@example.com)'), rec)).toBe(false);
    expect(matches(parseCriteria('(First_Name:starts_with:J)'), rec)).toBe(true);
  });

  it('joins groups with and / or, and unescapes \\, in values', () => {
    expect(matches(parseCriteria('((Last_Name:equals:Burns\\, Jr)and(First_Name:equals:jo))'), rec)).toBe(
      true,
    );
    expect(matches(parseCriteria('((Last_Name:equals:Smith)or(First_Name:equals:Jo))'), rec)).toBe(true);
    expect(matches(parseCriteria('((Last_Name:equals:Smith)and(First_Name:equals:Jo))'), rec)).toBe(false);
    expect(matches(parseCriteria('(First_Name:in:Al,Jo)'), rec)).toBe(true);
    // An escaped comma stays inside one value; a %-sequence is a value's own text, not decoded.
    expect(matches(parseCriteria('(Last_Name:in:Smith,Burns\\, Jr)'), rec)).toBe(true);
    expect(matches(parseCriteria('(Last_Name:in:Burns%2C Jr)'), rec)).toBe(false);
    expect(matches(parseCriteria('(Amount:greater_than:999)'), rec)).toBe(true);
  });

  it('matches equals on a text field by containment, as Zoho does ("ABC" finds "ABC Inc")', () => {
    const company = { Company: 'ABC Inc', Amount: '1500', Email: 'jo@abc.example' };
    const text = (f: string) => f === 'Company' || f === 'Email';
    expect(matches(parseCriteria('(Company:equals:ABC)'), company, text)).toBe(true);
    expect(matches(parseCriteria('(Company:equals:abc inc)'), company, text)).toBe(true);
    expect(matches(parseCriteria('(Company:equals:XYZ)'), company, text)).toBe(false);
    expect(matches(parseCriteria('(Email:equals:o@abc.example)'), company, text)).toBe(true);
    // Other fields (numbers, dates, lookups) still compare whole values.
    expect(matches(parseCriteria('(Amount:equals:150)'), company, text)).toBe(false);
    expect(matches(parseCriteria('(Amount:equals:1500)'), company, text)).toBe(true);
  });

  it('refuses malformed criteria, unknown operators and more than 10 conditions', () => {
    expect(() => parseCriteria('Email:equals:x')).toThrow(CriteriaError);
    expect(() => parseCriteria('(Email:like:x)')).toThrow(/operator/);
    expect(() => parseCriteria('((A:equals:1)and(B:equals:2)or(C:equals:3))')).toThrow(CriteriaError);
    const eleven = `(${Array.from({ length: 11 }, (_, i) => `(F${i}:equals:${i})`).join('and')})`;
    expect(() => parseCriteria(eleven)).toThrow(/more than 10/);
  });
});
