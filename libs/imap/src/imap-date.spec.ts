// Tests of imap-date.ts (RFC 9051 §9 date and date-time, RFC 5322 §3.3).
import { describe, expect, it } from 'vitest';
import { calendarDayOf, compareCalendarDays, formatDateTime, parseDateTime, parseHeaderDate, parseSearchDate } from './imap-date';

describe('IMAP dates', () => {
  it('parse SEARCH dates, month names in any case', () => {
    expect(parseSearchDate('1-feb-2024')).toEqual({ year: 2024, month: 2, day: 1 });
    expect(parseSearchDate('29-Feb-2024')).toEqual({ year: 2024, month: 2, day: 29 });
    for (const bad of ['29-Feb-2023', '1-Foo-2024', '2024-02-01', '1-Feb-24', '']) expect(() => parseSearchDate(bad)).toThrow('Invalid date');
  });

  it('parse and format date-time with its zone (RFC 9051 §9)', () => {
    const dt = parseDateTime('17-Jul-1996 02:44:25 -0700');
    expect(dt).toEqual({ epochMs: Date.UTC(1996, 6, 17, 9, 44, 25), offsetMinutes: -420 });
    expect(formatDateTime(dt)).toBe('17-Jul-1996 02:44:25 -0700');
    expect(parseDateTime(' 5-Jan-2024 00:00:00 +0000').epochMs).toBe(Date.UTC(2024, 0, 5));
    expect(() => parseDateTime('17-Jul-1996 24:00:00 +0000')).toThrow();
  });

  it('take the calendar day in the zone the date was written in (RFC 9051 §6.4.4)', () => {
    const late = parseDateTime('05-Jan-2024 23:30:00 -0500');
    expect(calendarDayOf(late)).toEqual({ year: 2024, month: 1, day: 5 });
    expect(compareCalendarDays({ year: 2024, month: 1, day: 5 }, { year: 2024, month: 1, day: 6 })).toBeLessThan(0);
  });

  it('read Date: headers, obsolete forms included (RFC 5322 §3.3, §4.3)', () => {
    expect(parseHeaderDate('Fri, 05 Jan 2024 23:30:00 -0500')).toEqual(parseDateTime('05-Jan-2024 23:30:00 -0500'));
    expect(parseHeaderDate('5 Jan 99 10:00 EST (Eastern)')).toEqual(parseDateTime('05-Jan-1999 10:00:00 -0500'));
    expect(parseHeaderDate('not a date')).toBeUndefined();
  });
});
