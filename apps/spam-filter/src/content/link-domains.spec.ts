import { describe, expect, it } from 'vitest';
import { linkDomains } from './link-domains';

describe('linkDomains', () => {
  it('finds the hosts of http(s) URLs in text and HTML, reduced to registered domains', () => {
    const text = 'See https://shop.Cheap-Pills.co.uk/buy?x=1 and http://user@tracker.example.net:8080/p.';
    expect(linkDomains(text, '<a href="https://click.promo.test/x">here</a>')).toEqual(['cheap-pills.co.uk', 'example.net', 'promo.test']);
  });

  it('finds www. names and bare names under common TLDs', () => {
    expect(linkDomains('Visit www.deals.example.org today, or go to cheap-watches.com.')).toEqual(['example.org', 'cheap-watches.com']);
  });

  it('ignores addresses, file names, version numbers, IP literals and unknown TLDs', () => {
    const text = 'Mail bob@example.com, open report.pdf or index.html, run v1.2.3, see http://192.0.2.7/x and http://[2001:db8::1]/y, config.local';
    expect(linkDomains(text)).toEqual([]);
  });

  it('turns international names into A-labels', () => {
    expect(linkDomains('http://bücher.example/')).toEqual(['xn--bcher-kva.example']);
  });
});
