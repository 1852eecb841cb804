// Tests of rcpt-params.ts: NOTIFY and ORCPT (RFC 3461).
import { parseEsmtpParams } from '@mail/smtp';
import { describe, expect, it } from 'vitest';
import { parseRcptParams } from './rcpt-params';

const parse = (text: string, extended = true) => parseRcptParams(parseEsmtpParams(text), extended);
const error = (text: string, extended = true): string => {
  try {
    parse(text, extended);
    return 'accepted';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('parseRcptParams', () => {
  it('gives undefined without parameters', () => {
    expect(parse('')).toBeUndefined();
  });

  it('keeps NOTIFY and ORCPT (decoded) per recipient (RFC 3461 §4.1, §4.2)', () => {
    expect(parse('NOTIFY=success,DELAY ORCPT=rfc822;bob+2Bx@example.test')).toEqual({
      notify: ['SUCCESS', 'DELAY'],
      orcpt: 'rfc822;bob+x@example.test',
    });
    expect(parse('NOTIFY=NEVER')).toEqual({ notify: ['NEVER'] });
  });

  it('refuses malformed NOTIFY and ORCPT with 501 5.5.4', () => {
    for (const bad of ['NOTIFY=NEVER,SUCCESS', 'NOTIFY=SUCCESS,SUCCESS', 'NOTIFY=ALWAYS', 'NOTIFY', 'ORCPT=bob@example.test', 'ORCPT=;x', 'ORCPT=rfc822;a+4']) {
      expect(error(bad), bad).toMatch(/^501 5\.5\.4 /);
    }
  });

  it('refuses unknown parameters, and any after HELO, with 555 5.5.4', () => {
    expect(error('XRCPT=1')).toMatch(/^555 5\.5\.4 /);
    expect(error('NOTIFY=NEVER', false)).toMatch(/^555 5\.5\.4 /);
  });
});
