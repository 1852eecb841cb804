import { describe, expect, it } from 'vitest';
import { parseSpamCommand } from './spam-command-line';

describe('parseSpamCommand', () => {
  it('reads spam train with a class and paths', () => {
    expect(parseSpamCommand(['train', 'a.eml', 'maildir/'], { spam: true }, false)).toEqual({ kind: 'train', as: 'spam', paths: ['a.eml', 'maildir/'] });
    expect(parseSpamCommand(['train', 'ham.mbox'], { ham: true }, false)).toMatchObject({ kind: 'train', as: 'ham' });
  });

  it('refuses a train without exactly one class or without paths', () => {
    expect(parseSpamCommand(['train', 'a.eml'], {}, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/missing --spam or --ham/) });
    expect(parseSpamCommand(['train', 'a.eml'], { spam: true, ham: true }, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/not both/) });
    expect(parseSpamCommand(['train'], { spam: true }, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/missing <file/) });
  });

  it('reads spam stats, and gives help at each level', () => {
    expect(parseSpamCommand(['stats'], {}, false)).toEqual({ kind: 'stats', days: 14 });
    expect(parseSpamCommand(['stats', 'x'], {}, false)).toMatchObject({ kind: 'invalid' });
    expect(parseSpamCommand([], {}, true)).toMatchObject({ kind: 'help', text: expect.stringMatching(/^Usage: mailctl spam </) });
    expect(parseSpamCommand(['train'], {}, true)).toMatchObject({ kind: 'help', text: expect.stringMatching(/SPAM_BAYES_MIN_MESSAGES/) });
    expect(parseSpamCommand(['check'], {}, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/unknown command "spam check"/) });
  });

  it('reads spam stats --days within the days spam-filter keeps', () => {
    expect(parseSpamCommand(['stats'], { days: '7' }, false)).toEqual({ kind: 'stats', days: 7 });
    for (const bad of ['0', '91', '2.5', 'week'])
      expect(parseSpamCommand(['stats'], { days: bad }, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/--days takes a number of days from 1 to 90/) });
    expect(parseSpamCommand(['train', 'a.eml'], { spam: true, days: '7' }, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/no --days/) });
    expect(parseSpamCommand(['stats'], {}, true)).toMatchObject({ kind: 'help', text: expect.stringMatching(/moved\s+out of Junk are the filter's false positives/) });
  });
});
