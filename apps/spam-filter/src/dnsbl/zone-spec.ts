/**
 * DNS list zone specifications, in the form operators know from Postfix's
 * postscreen_dnsbl_sites: `zone[=codes][*weight]`, e.g.
 * `zen.spamhaus.org=127.0.0.[2..11]*3`, `bl.example=127.0.0.[2;4]` or
 * `bl.example=127.0.0.2,127.0.0.4`. The same form serves IP lists
 * (DNSBL_ZONES) and domain lists (DBL_ZONES). A zone without a weight
 * takes the default its list gives (config.ts): a DNSBL zone refuses.
 */

/** A malformed entry; `entry` is the text as configured. */
export class ZoneSpecError extends Error {
  override name = 'ZoneSpecError';
  constructor(
    readonly entry: string,
    readonly problem: string,
  ) {
    super(`zone entry ${JSON.stringify(entry)}: ${problem}`);
  }
}

export interface ZoneSpec {
  readonly zone: string;
  readonly weight: number;
  /** Return codes that count as a listing; `undefined` means any 127.0.0.0/8 code. */
  readonly matches: ((code: string) => boolean) | undefined;
  readonly source: string;
}

const specPattern = /^([a-z0-9.-]+?)(?:=([0-9.,;[\]]+))?(?:\*(-?\d+(?:\.\d+)?))?$/i;
const octet = '(\\d+|\\[[\\d.;]+\\])';
const codePattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);

/**
 * Splits a comma-separated list of specs. A code list may itself hold
 * commas (`bl.test=127.0.0.2,127.0.0.4*2`): an item that is only a code
 * (no zone name: domain names never end in an all-numeric label) continues
 * the entry before it.
 */
export function splitZoneList(items: readonly string[]): string[] {
  const entries: string[] = [];
  for (const item of items) {
    const previous = entries.length - 1;
    if (previous >= 0 && /^[\d.[\];]+(\*-?\d+(\.\d+)?)?$/.test(item) && entries[previous]?.includes('=')) entries[previous] += `,${item}`;
    else entries.push(item);
  }
  return entries;
}

/** Parse one spec; a spec without `*weight` weighs `defaultWeight`. Throws ZoneSpecError naming the bad part. */
export function parseZoneSpec(source: string, defaultWeight: number): ZoneSpec {
  const match = specPattern.exec(source.trim());
  if (!match) throw new ZoneSpecError(source, 'must look like zone[=127.0.0.[2..11]][*weight]');
  const [, zone = '', codes, weight] = match;
  return {
    zone: zone.toLowerCase().replace(/\.$/, ''),
    weight: weight === undefined ? defaultWeight : Number(weight),
    matches: codes === undefined ? undefined : codeMatcher(codes, source),
    source,
  };
}

interface OctetRange {
  readonly low: number;
  readonly high: number;
}

/** One octet pattern: `4`, or Postfix's `[2..11]`, `[2;4;10..11]`. */
function octetRanges(part: string, source: string): OctetRange[] {
  const inner = /^\[(.*)\]$/.exec(part)?.[1];
  const items = inner === undefined ? [part] : inner.split(';');
  return items.map((item) => {
    const range = /^(\d+)(?:\.\.(\d+))?$/.exec(item);
    if (!range) throw new ZoneSpecError(source, `octet pattern ${JSON.stringify(part)} must be a number, [a..b] or [a;b;c..d]`);
    return { low: Number(range[1]), high: Number(range[2] ?? range[1]) };
  });
}

function codeMatcher(codes: string, source: string): (code: string) => boolean {
  const patterns = codes.split(',').map((pattern) => {
    const match = codePattern.exec(pattern);
    if (!match) throw new ZoneSpecError(source, `code ${JSON.stringify(pattern)} must have four octets, each a number or a range [a..b]`);
    return match.slice(1).map((part = '') => octetRanges(part, source));
  });
  return (code) => {
    const octets = code.split('.').map(Number);
    return patterns.some((pattern) => pattern.every((ranges, i) => ranges.some((range) => (octets[i] ?? -1) >= range.low && (octets[i] ?? -1) <= range.high)));
  };
}
