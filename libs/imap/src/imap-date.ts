// Dates of IMAP (RFC 9051 §9 `date`, `date-time`) and of message headers
// (RFC 5322 §3.3), and the calendar-day comparisons of SEARCH: BEFORE, ON,
// SINCE and their SENT* forms compare dates "disregarding time and timezone"
// (RFC 9051 §6.4.4), i.e. the calendar day in the zone the date was written in.

import { syntaxError } from './response-error';

/** A calendar day with no time and no zone. */
export interface CalendarDay {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
}

/** An instant with the zone offset it was written in (INTERNALDATE keeps it, RFC 9051 §2.3.3). */
export interface ZonedDateTime {
  /** Milliseconds since the epoch (UTC). */
  readonly epochMs: number;
  /** Offset from UTC in minutes, e.g. -420 for -0700. */
  readonly offsetMinutes: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Orders two days: negative, zero or positive. */
export function compareCalendarDays(a: CalendarDay, b: CalendarDay): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The calendar day of an instant in the zone of `offsetMinutes`. */
export function calendarDayOf(dateTime: ZonedDateTime): CalendarDay {
  const local = new Date(dateTime.epochMs + dateTime.offsetMinutes * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() };
}

const SEARCH_DATE = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/;

/**
 * Parses a SEARCH date (RFC 9051 §9: `date-text = date-day "-" date-month
 * "-" date-year`, the month name case-insensitive).
 *
 * @throws ImapResponseError BAD when it is not a valid date.
 */
export function parseSearchDate(text: string): CalendarDay {
  const match = SEARCH_DATE.exec(text);
  const month = match === null ? -1 : MONTHS.indexOf((match[2] as string).toUpperCase()) + 1;
  const day = Number(match?.[1]);
  const year = Number(match?.[3]);
  if (match === null || !validDay(year, month, day)) throw syntaxError(`Invalid date "${text.slice(0, 30)}"`);
  return { year, month, day };
}

// RFC 9051 §9: date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE (the quotes already removed)
const DATE_TIME = /^([ 0-9][0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/;

/**
 * Parses an APPEND date-time (RFC 9051 §6.3.12, §9), the quotes removed.
 *
 * @throws ImapResponseError BAD when it is not valid.
 */
export function parseDateTime(text: string): ZonedDateTime {
  const m = DATE_TIME.exec(text);
  if (m === null) throw syntaxError(`Invalid date-time "${text.slice(0, 40)}"`);
  const day = Number((m[1] as string).trim());
  const month = MONTHS.indexOf((m[2] as string).toUpperCase()) + 1;
  const [year, hour, minute, second, zh, zm] = [m[3], m[4], m[5], m[6], m[8], m[9]].map(Number) as [number, number, number, number, number, number];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 60 || zm > 59) throw syntaxError(`Invalid date-time "${text.slice(0, 40)}"`);
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (zh * 60 + zm);
  return { epochMs: Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000, offsetMinutes };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Formats INTERNALDATE (RFC 9051 §9 date-time, without the quotes), e.g. `17-Jul-1996 02:44:25 -0700`. */
export function formatDateTime(dateTime: ZonedDateTime): string {
  const local = new Date(dateTime.epochMs + dateTime.offsetMinutes * 60_000);
  const offset = Math.abs(dateTime.offsetMinutes);
  const sign = dateTime.offsetMinutes < 0 ? '-' : '+';
  return `${pad(local.getUTCDate())}-${MONTH_NAMES[local.getUTCMonth()]}-${pad(local.getUTCFullYear(), 4)} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`;
}

// RFC 5322 §4.3: obsolete zone names
const OBSOLETE_ZONES: Record<string, number> = { UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
const HEADER_DATE = /^(?:[A-Za-z]{3},?\s*)?([0-9]{1,2})\s+([A-Za-z]{3})[A-Za-z]*\s+([0-9]{2,4})\s+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*([+-][0-9]{4}|[A-Za-z]{1,5})?/;

/**
 * Parses a Date: header value (RFC 5322 §3.3, with the obsolete forms of
 * §4.3: two-digit years, zone names, comments), leniently; undefined when it
 * cannot be read.
 */
export function parseHeaderDate(value: string): ZonedDateTime | undefined {
  const m = HEADER_DATE.exec(value.replace(/\([^()]*\)/g, ' ').trim());
  if (m === null) return undefined;
  let year = Number(m[3]);
  // RFC 5322 §4.3: a two-digit year is 19xx from 50, 20xx below; three digits add 1900
  if ((m[3] as string).length === 2) year += year < 50 ? 2000 : 1900;
  else if ((m[3] as string).length === 3) year += 1900;
  const month = MONTHS.indexOf((m[2] as string).toUpperCase()) + 1;
  const day = Number(m[1]);
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (!validDay(year, month, day) || hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[7];
  let offsetMinutes = 0;
  if (zone !== undefined && /^[+-]/.test(zone)) {
    const digits = Number(zone.slice(1));
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Math.floor(digits / 100) * 60 + (digits % 100));
  } else if (zone !== undefined) offsetMinutes = OBSOLETE_ZONES[zone.toUpperCase()] ?? 0; // RFC 5322 §4.3: other military zones are treated as +0000
  return { epochMs: Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59)) - offsetMinutes * 60_000, offsetMinutes };
}
