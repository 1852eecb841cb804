import { describe, expect, it } from 'vitest';
import { parseMessageDate } from './rfc5322-date';

describe('parseMessageDate', () => {
  it('reads RFC 5322 §3.3 date-times with their zone', () => {
    expect(parseMessageDate('Tue, 17 Nov 2026 10:00:00 +0200')).toEqual({ time: Date.UTC(2026, 10, 17, 8), writtenWeekday: 2, weekdayOfDate: 2 });
    expect(parseMessageDate('17 Nov 2026 10:00 -0500 (EST)')?.time).toBe(Date.UTC(2026, 10, 17, 15));
  });

  it('reads the obsolete forms of §4.3: two-digit years, named zones, long day names', () => {
    expect(parseMessageDate('Thursday, 22 Aug 02 10:00:00 PDT')?.time).toBe(Date.UTC(2002, 7, 22, 17));
    expect(parseMessageDate('Mon, 1 Jan 99 00:00:00 GMT')?.time).toBe(Date.UTC(1999, 0, 1));
  });

  it('refuses what is no date-time or no real moment', () => {
    for (const bad of ['2026-11-17 10:00:00', 'Tue, 31 Nov 2026 10:00:00 +0000', 'Tue, 17 Nov 2026 25:00:00 +0000', 'Tue, 17 Foo 2026 10:00:00 +0000', 'yesterday']) {
      expect(parseMessageDate(bad)).toBeUndefined();
    }
  });
});
