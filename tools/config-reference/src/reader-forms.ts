/**
 * How each reader of @mail/config (libs/config/src/readers.ts) wants its
 * variable written, from the arguments of the call: the range of an `int`,
 * the values of an `enumOf`, the schemes of a `url`. Keyed by the reader's
 * function name; the spec checks that every exported reader has an entry,
 * so a new reader cannot reach the reference without one.
 */
import type { Constant } from './constant';

/** The constant argument passed for a parameter of the reader, by parameter name. */
export type ArgumentOf = (parameter: string) => Constant;

const codeList = (values: Constant): string => (Array.isArray(values) ? values.map((value) => `\`${String(value)}\``).join(', ') : '');

function integerRange(range: Constant): string {
  const { min, max } = typeof range === 'object' && range !== null && !Array.isArray(range) ? (range as { min?: Constant; max?: Constant }) : {};
  if (min !== undefined && max !== undefined) return `integer ${String(min)}–${String(max)}`;
  if (min !== undefined) return `integer ≥ ${String(min)}`;
  if (max !== undefined) return `integer ≤ ${String(max)}`;
  return 'integer';
}

/** A reader's form in a table cell, and for a one-word form what it means (the legend above the tables). */
export interface ReaderForm {
  readonly form: (argument: ArgumentOf) => string;
  readonly legend?: string;
}

export const readerForms: Readonly<Record<string, ReaderForm>> = {
  string: { form: () => 'text' },
  optionalString: { form: () => 'text' },
  int: { form: (argument) => integerRange(argument('range')) },
  port: { form: () => 'port', legend: 'a TCP port, 0–65535; 0 takes any free port (tests)' },
  optionalPort: { form: () => 'port' },
  bool: { form: () => 'boolean', legend: '`true` or `false`; also `1`/`0`, `yes`/`no`, `on`/`off`' },
  url: { form: (argument) => `URL: ${codeList(argument('protocols'))}` },
  list: { form: () => 'list', legend: 'comma-separated; blanks around the commas and empty entries are dropped' },
  hostPortList: { form: (argument) => `list of \`host[:port]\` (IPv6 \`[addr]:port\`), port ${String(argument('defaultPort'))} when omitted` },
  enumOf: { form: (argument) => `one of ${codeList(argument('values'))}` },
  duration: { form: () => 'duration', legend: '`500ms`, `30s`, `5m`, `4h` or `5d`; a bare number is milliseconds' },
};
