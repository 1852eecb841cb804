/**
 * Everything the launcher prints goes through here: lines from children,
 * prefixed with their name (`smtp-ingress | info  started`), and the
 * launcher's own messages under `dev-stack`.
 */
import type { Paint, Style } from './colour';
import { formatLogLine } from './log-format';

/** Label of the launcher's own lines. */
export const launcherLabel = 'dev-stack';

/** A colour per service so interleaved output stays easy to follow. */
const labelStyles: Record<string, Style> = {
  'smtp-ingress': 'cyan',
  'spam-filter': 'magenta',
  'mailbox-store': 'blue',
  'pop3-server': 'green',
  'outbound-relay': 'yellow',
  [launcherLabel]: 'bold',
};

/** Wide enough for the longest label, `outbound-relay`. */
const labelWidth = 14;

/** Where lines go; process.stdout in real use, a buffer in tests. */
export interface LineSink {
  write(text: string): unknown;
}

/** Prints prefixed lines for the launcher and its children. */
export class Terminal {
  constructor(
    private readonly sink: LineSink,
    readonly paint: Paint,
  ) {}

  /** One line a child printed: a pino JSON line is made readable, anything else kept. */
  childLine(label: string, raw: string): void {
    for (const line of formatLogLine(raw, this.paint)) this.sink.write(`${this.prefix(label)}${line}\n`);
  }

  /** A message from the launcher. */
  info(text: string): void {
    this.launcherLines(text, []);
  }

  /** Something the user should notice but that does not stop the stack. */
  warn(text: string): void {
    this.launcherLines(text, ['yellow']);
  }

  /** Why the launcher is giving up. */
  error(text: string): void {
    this.launcherLines(text, ['red']);
  }

  /** A block printed without prefix (the summary box). */
  block(text: string): void {
    this.sink.write(`${text}\n`);
  }

  /** `name           | ` with the name in the service's colour. */
  prefix(label: string): string {
    const style = labelStyles[label] ?? 'grey';
    return `${this.paint(label.padEnd(labelWidth), style)} ${this.paint('|', 'dim')} `;
  }

  private launcherLines(text: string, styles: Style[]): void {
    for (const line of text.split('\n')) this.sink.write(`${this.prefix(launcherLabel)}${this.paint(line, ...styles)}\n`);
  }
}
