/**
 * Turns a pino JSON log line into something a person reads at a glance:
 * `info  message accepted queueId=Q1 size=512`. Fields every line carries
 * (time, pid, hostname, trace ids, the service name that the prefix already
 * shows) are left out; an error's stack follows on indented lines. Anything
 * that is not a JSON object (a Node warning, a tsx stack trace) is kept as is.
 */
import type { Paint, Style } from './colour';

/** pino's numeric levels, for loggers that do not print level labels. */
const numericLevels: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

const levelStyles: Record<string, Style[]> = {
  trace: ['grey'],
  debug: ['grey'],
  info: ['green'],
  warn: ['yellow'],
  error: ['red'],
  fatal: ['brightRed', 'bold'],
};

/** Fields that are on every line or already shown another way. */
const omittedFields = new Set(['level', 'time', 'msg', 'service', 'name', 'pid', 'hostname', 'trace_id', 'span_id', 'v']);

/** Width of the level column: the longest label ("debug", "error", "fatal"). */
const levelWidth = 5;

/**
 * Formats one line of a service's output. Returns one or more screen lines
 * (more when an error stack is attached), without the service prefix.
 */
export function formatLogLine(raw: string, paint: Paint): string[] {
  const record = parseRecord(raw);
  if (!record) return [raw];
  const level = levelName(record['level']);
  const head = paint(level.padEnd(levelWidth), ...(levelStyles[level] ?? []));
  const parts: string[] = [];
  const stacks: string[] = [];
  if (typeof record['msg'] === 'string' && record['msg'] !== '') parts.push(record['msg']);
  for (const [key, value] of Object.entries(record)) {
    if (omittedFields.has(key) || value === undefined) continue;
    parts.push(`${paint(`${key}=`, 'dim')}${formatValue(value)}`);
    stacks.push(...stackLines(value));
  }
  return [`${head} ${parts.join(' ')}`.trimEnd(), ...stacks.map((line) => paint(`      ${line}`, 'dim'))];
}

/** The level label of a pino record, whether written as a label or a number. */
export function levelName(level: unknown): string {
  if (typeof level === 'string') return level;
  if (typeof level === 'number') return numericLevels[level] ?? String(level);
  return 'log';
}

/** A field value as `key=value` text: bare when unambiguous, JSON otherwise. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  if (isErrorLike(value)) return JSON.stringify(value.message);
  return JSON.stringify(value) ?? String(value);
}

function parseRecord(raw: string): Record<string, unknown> | undefined {
  if (!raw.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

interface ErrorLike {
  message: string;
  stack?: unknown;
}

/** pino's error serializer writes `{ type, message, stack }`. */
function isErrorLike(value: unknown): value is ErrorLike {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

/** The frames of a serialized error's stack (its first line repeats the message). */
function stackLines(value: unknown): string[] {
  if (!isErrorLike(value) || typeof value.stack !== 'string') return [];
  return value.stack
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
