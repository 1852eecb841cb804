import { describe, expect, it } from 'vitest';
import { spamFilterConfig } from './config';

describe('DNSBL_ZONES and DBL_ZONES', () => {
  it('gives a DNSBL zone without a weight the reject score, so a listed client is refused (as reject_rbl_client)', () => {
    expect(spamFilterConfig.dnsblZones({ DNSBL_ZONES: 'zen.spamhaus.org' })).toMatchObject([{ zone: 'zen.spamhaus.org', weight: 10 }]);
    expect(spamFilterConfig.dnsblZones({ DNSBL_ZONES: 'zen.spamhaus.org', SPAM_REJECT_SCORE: '15' })).toMatchObject([{ weight: 15 }]);
  });

  it('keeps an explicit weight, for zones meant to add points', () => {
    expect(spamFilterConfig.dnsblZones({ DNSBL_ZONES: 'zen.spamhaus.org,bl.example=127.0.0.[2..3]*2.5' }).map((z) => z.weight)).toEqual([10, 2.5]);
  });

  it('gives a domain list without a weight the junk score', () => {
    expect(spamFilterConfig.dblZones({ DBL_ZONES: 'dbl.example' })).toMatchObject([{ zone: 'dbl.example', weight: 8 }]);
    expect(spamFilterConfig.dblZones({ DBL_ZONES: 'dbl.example', SPAM_JUNK_SCORE: '7' })).toMatchObject([{ weight: 7 }]);
  });
});
