/**
 * The Date: field (RFC 5322 §3.3 date-time, with the obsolete forms of
 * §4.3 that real mailers still write: two-digit years, alphabetic zones,
 * missing seconds), read strictly enough to tell a well-formed date from
 * ratware's, and leniently enough that every real mailer passes.
 */

export interface MessageDate {
  /** Milliseconds since the epoch, in UTC. */
  readonly time: number;
  /** The day of the week written before the date (0 = Sunday), when there is one. */
  readonly writtenWeekday: number | undefined;
  /** The day of the week the written date really falls on (before the zone is applied). */
  readonly weekdayOfDate: number;
}

const weekdays = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 5322 §4.3 obs-zone: hours from UTC; military single letters are read as UTC (their sign was ambiguous, §4.3). */
const namedZones: Readonly<Record<string, number>> = { ut: 0, gmt: 0, z: 0, utc: 0, est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7 };

const dateTime = /^(?:([a-z]{3})[a-z]*\s*,\s*)?(\d{1,2})\s*-?\s*([a-z]{3})[a-z]*\s*-?\s*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{4}|[a-z]{1,5})?(?:\s*\([^)]*\))?\s*$/i;

/** Offset in minutes of a zone (`+0200`, `EST`, `Z`); undefined for an unknown name. */
function zoneMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined) return 0;
  if (/^[+-]\d{4}$/.test(zone)) {
    const minutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3));
    return zone[0] === '-' ? -minutes : minutes;
  }
  const lower = zone.toLowerCase();
  if (lower.length === 1 && lower !== 'j') return 0;
  const hours = namedZones[lower];
  return hours === undefined ? undefined : hours * 60;
}

/** The field's date, or undefined when it is not a date-time in RFC 5322's (or its obsolete) syntax or names no real moment. */
export function parseMessageDate(field: string): MessageDate | undefined {
  // A date-time with its comment fits in 100 characters; longer is no date (and would cost the pattern's whitespace runs).
  if (field.length > 200) return undefined;
  const match = dateTime.exec(field.trim());
  if (!match) return undefined;
  const [, weekday, day, month, year, hour, minute, second, zone] = match;
  const monthIndex = months.indexOf((month ?? '').toLowerCase());
  const offset = zoneMinutes(zone);
  if (monthIndex === -1 || offset === undefined) return undefined;
  const writtenWeekday = weekday === undefined ? undefined : weekdays.indexOf(weekday.toLowerCase());
  if (writtenWeekday === -1) return undefined;
  // RFC 5322 §4.3: a two-digit year is 19xx from 50 on, else 20xx; three digits add 1900.
  let fullYear = Number(year);
  if ((year ?? '').length === 2) fullYear += fullYear >= 50 ? 1900 : 2000;
  else if ((year ?? '').length === 3) fullYear += 1900;
  const [d, h, m, s] = [Number(day), Number(hour), Number(minute), Number(second ?? 0)];
  if (d < 1 || d > 31 || h > 23 || m > 59 || s > 60) return undefined;
  const local = Date.UTC(fullYear, monthIndex, d, h, m, Math.min(s, 59));
  if (new Date(local).getUTCDate() !== d) return undefined;
  return { time: local - offset * 60_000, writtenWeekday, weekdayOfDate: new Date(local).getUTCDay() };
}
