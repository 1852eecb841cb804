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
    expect(parseSpamCommand(['stats'], {}, false)).toEqual({ kind: 'stats' });
    expect(parseSpamCommand(['stats', 'x'], {}, false)).toMatchObject({ kind: 'invalid' });
    expect(parseSpamCommand([], {}, true)).toMatchObject({ kind: 'help', text: expect.stringMatching(/^Usage: mailctl spam </) });
    expect(parseSpamCommand(['train'], {}, true)).toMatchObject({ kind: 'help', text: expect.stringMatching(/SPAM_BAYES_MIN_MESSAGES/) });
    expect(parseSpamCommand(['check'], {}, false)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/unknown command "spam check"/) });
  });
});
