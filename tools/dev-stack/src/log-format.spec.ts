import { describe, expect, it } from 'vitest';
import { painter } from './colour';
import { formatLogLine, formatValue, levelName } from './log-format';

const plain = painter(false);

describe('formatLogLine', () => {
  it('prints level, message and the fields that matter', () => {
    const line = JSON.stringify({
      level: 'info',
      time: '2025-01-01T00:00:00.000Z',
      pid: 42,
      hostname: 'box',
      service: 'smtp-ingress',
      name: 'smtp-ingress',
      trace_id: 'abc',
      span_id: 'def',
      msg: 'message accepted',
      queueId: 'Q1',
      size: 512,
    });
    expect(formatLogLine(line, plain)).toEqual(['info  message accepted queueId=Q1 size=512']);
  });

  it('understands numeric pino levels', () => {
    expect(formatLogLine('{"level":40,"msg":"slow"}', plain)).toEqual(['warn  slow']);
  });

  it('puts an error message inline and its stack below', () => {
    const err = { type: 'Error', message: 'connect ECONNREFUSED', stack: 'Error: connect ECONNREFUSED\n    at a (x.ts:1:1)\n    at b (y.ts:2:2)' };
    expect(formatLogLine(JSON.stringify({ level: 'error', msg: 'bus down', err }), plain)).toEqual(['error bus down err="connect ECONNREFUSED"', '      at a (x.ts:1:1)', '      at b (y.ts:2:2)']);
  });

  it('keeps lines that are not JSON objects as they are', () => {
    expect(formatLogLine('(node:1) ExperimentalWarning: x', plain)).toEqual(['(node:1) ExperimentalWarning: x']);
    expect(formatLogLine('{not json', plain)).toEqual(['{not json']);
    expect(formatLogLine('[1,2]', plain)).toEqual(['[1,2]']);
  });

  it('prints fields without a message', () => {
    expect(formatLogLine('{"level":"debug","opsPort":9101}', plain)).toEqual(['debug opsPort=9101']);
  });

  it('colours the level when asked', () => {
    const [line] = formatLogLine('{"level":"warn","msg":"careful"}', painter(true));
    expect(line).toContain('\u001b[33mwarn ');
  });
});

describe('formatValue', () => {
  it('quotes strings only when needed', () => {
    expect(formatValue('Q1')).toBe('Q1');
    expect(formatValue('two words')).toBe('"two words"');
    expect(formatValue('a=b')).toBe('"a=b"');
    expect(formatValue('')).toBe('""');
  });

  it('prints scalars bare and objects as JSON', () => {
    expect(formatValue(3)).toBe('3');
    expect(formatValue(false)).toBe('false');
    expect(formatValue(null)).toBe('null');
    expect(formatValue({ a: [1] })).toBe('{"a":[1]}');
  });
});

describe('levelName', () => {
  it('maps labels, numbers and nonsense', () => {
    expect(levelName('info')).toBe('info');
    expect(levelName(50)).toBe('error');
    expect(levelName(35)).toBe('35');
    expect(levelName(undefined)).toBe('log');
  });
});
