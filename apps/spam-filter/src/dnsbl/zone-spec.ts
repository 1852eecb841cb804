/**
 * DNSBL zone specifications, in the form operators know from Postfix's
 * postscreen_dnsbl_sites: `zone[=codes][*weight]`, e.g.
 * `zen.spamhaus.org=127.0.0.[2..11]*3` or `bl.example=127.0.0.2,127.0.0.4`.
 */

export interface ZoneSpec {
  readonly zone: string;
  readonly weight: number;
  /** Return codes that count as a listing; `undefined` means any 127.0.0.0/8 code. */
  readonly matches: ((code: string) => boolean) | undefined;
  readonly source: string;
}

const specPattern = /^([a-z0-9.-]+?)(?:=([0-9.,[\]]+))?(?:\*(-?\d+(?:\.\d+)?))?$/i;

/** Parse one spec; throws an error naming the bad part. */
export function parseZoneSpec(source: string): ZoneSpec {
  const match = specPattern.exec(source.trim());
  if (!match) throw new Error(`DNSBL_ZONES entry ${JSON.stringify(source)} must look like zone[=127.0.0.[2..11]][*weight]`);
  const [, zone = '', codes, weight] = match;
  return {
    zone: zone.toLowerCase().replace(/\.$/, ''),
    weight: weight === undefined ? 1 : Number(weight),
    matches: codes === undefined ? undefined : codeMatcher(codes, source),
    source,
  };
}

function codeMatcher(codes: string, source: string): (code: string) => boolean {
  const octet = '(\\d+|\\[\\d+\\.\\.\\d+\\])';
  const codePattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);
  const patterns = codes.split(',').map((pattern) => {
    const match = codePattern.exec(pattern);
    if (!match) throw new Error(`DNSBL_ZONES entry ${JSON.stringify(source)}: code ${JSON.stringify(pattern)} must have four octets, each a number or a range [a..b]`);
    return match.slice(1).map((part = '') => {
      const range = /^\[(\d+)\.\.(\d+)\]$/.exec(part);
      return range ? { low: Number(range[1]), high: Number(range[2]) } : { low: Number(part), high: Number(part) };
    });
  });
  return (code) => {
    const octets = code.split('.').map(Number);
    return patterns.some((pattern) => pattern.every((range, i) => (octets[i] ?? -1) >= range.low && (octets[i] ?? -1) <= range.high));
  };
}
