/**
 * The JSON log lines the services of a stack wrote, read from their output,
 * and a wait for the lines a test asserts on: each service writes its lines
 * when it gets to them, after the reply that the test saw, so a test that
 * reads the logs first waits for the lines it needs.
 */
import { waitFor, type MailStack } from '@mail/testing';

export interface LogLine {
  readonly service: string;
  readonly raw: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** The lines a test waits for, each named for the timeout message; `all` for a match that depends on other lines. */
export type ExpectedLines = Readonly<Record<string, (line: LogLine, all: readonly LogLine[]) => boolean>>;

/** Matches a line of `service` whose fields include `fields` (e.g. `{ msg: 'message stored', queueId }`). */
export function logLine(service: string, fields: Readonly<Record<string, unknown>>): (line: LogLine) => boolean {
  return (line) => line.service === service && Object.entries(fields).every(([key, value]) => line.fields[key] === value);
}

/** Every complete JSON line each running service wrote so far (the last line may still be on its way through the pipe). */
export function jsonLogLines(stack: MailStack): LogLine[] {
  return [...stack.services].flatMap(([service, process]) => {
    const output = process.output();
    return output
      .slice(0, output.lastIndexOf('\n') + 1)
      .split('\n')
      .filter((raw) => raw.startsWith('{'))
      .map((raw) => ({ service, raw, fields: JSON.parse(raw) as Record<string, unknown> }));
  });
}

/** The lines of every service, once each of `expected` matches one of them. */
export async function waitForLogLines(stack: MailStack, expected: ExpectedLines, timeoutMs = 60_000): Promise<LogLine[]> {
  return waitFor(
    () => {
      const lines = jsonLogLines(stack);
      const absent = Object.entries(expected)
        .filter(([, match]) => !lines.some((line) => match(line, lines)))
        .map(([description]) => description);
      if (absent.length > 0) throw new Error(`not written yet: ${absent.join(', ')}`);
      return lines;
    },
    { timeoutMs, description: `the log lines ${Object.keys(expected).join(', ')}` },
  );
}
