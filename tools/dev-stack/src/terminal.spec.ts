import { describe, expect, it } from 'vitest';
import { painter } from './colour';
import { Terminal } from './terminal';

function capture(): { terminal: Terminal; text: () => string } {
  let out = '';
  const terminal = new Terminal({ write: (chunk: string) => (out += chunk) }, painter(false));
  return { terminal, text: () => out };
}

describe('Terminal', () => {
  it('prefixes a service line with its padded name', () => {
    const { terminal, text } = capture();
    terminal.childLine('smtp-ingress', '{"level":"info","msg":"message accepted","queueId":"Q1"}');
    expect(text()).toBe('smtp-ingress   | info  message accepted queueId=Q1\n');
  });

  it('prefixes every line of a multi-line launcher message', () => {
    const { terminal, text } = capture();
    terminal.error('one\ntwo');
    expect(text()).toBe('dev-stack      | one\ndev-stack      | two\n');
  });
});
