/**
 * The box printed once every service is ready: where to connect, where the
 * ops endpoints and the data are, and what to type next.
 */
import { visibleText, type Paint } from './colour';
import type { Endpoint } from './infrastructure/provide';
import type { PublicEndpoints } from './public-endpoints';
import type { CatalogService } from '@mail/service-catalog';
import { loopback } from './ports';
import { redactUrl } from './redact-url';
import type { TlsFiles } from './tls';

export interface BannerInput {
  title: string;
  endpoints?: PublicEndpoints;
  services?: readonly CatalogService[];
  infrastructure: readonly Endpoint[];
  tls?: TlsFiles | undefined;
  /** Shown as "data lives in". */
  dataRoot: string;
  /** Lines under "Next". */
  next: readonly string[];
  /** Whether anything keeps running until Ctrl-C. */
  keepsRunning: boolean;
}

/** `export NATS_URL=...` for servers the launcher started on non-default URLs, so commands in another terminal find them. */
export function exportLines(infrastructure: readonly Endpoint[]): string[] {
  return infrastructure.filter((endpoint) => endpoint.started && endpoint.url !== endpoint.kind.defaultUrl).map((endpoint) => `export ${endpoint.kind.envVar}=${endpoint.url}`);
}

/** The commands a newcomer runs next against a running stack. */
export function nextCommands(endpoints: PublicEndpoints, infrastructure: readonly Endpoint[]): string[] {
  return [
    ...exportLines(infrastructure),
    'npx mailctl domain add example.test',
    'npx mailctl user add bob@example.test --password hungry',
    `swaks --server ${endpoints.host}:${endpoints.smtp} --from alice@example.org --to bob@example.test --header 'Subject: hello'`,
    `curl pop3://${endpoints.host}:${endpoints.pop3}/1 --user bob@example.test:hungry`,
    `curl 'imap://${endpoints.host}:${endpoints.imap}/INBOX;UID=1' --user bob@example.test:hungry`,
  ];
}

/** The summary lines, before boxing. */
export function summaryLines(input: BannerInput, paint: Paint): string[] {
  const row = (name: string, value: string) => `${paint(name.padEnd(16), 'bold')}${value}`;
  const lines: string[] = [paint(input.title, 'bold', 'green'), ''];
  if (input.endpoints) {
    const { host, smtp, submission, pop3, imap } = input.endpoints;
    lines.push(row('SMTP', `${host}:${smtp}`), row('Submission', `${host}:${submission}`), row('POP3', `${host}:${pop3}`), row('IMAP', `${host}:${imap}`), '');
  }
  if (input.services) {
    lines.push(paint('Ops endpoints (/readyz /healthz /metrics)', 'dim'));
    for (const service of input.services) lines.push(row(service.name, `http://${loopback}:${service.opsPort}`));
    lines.push('');
  }
  for (const endpoint of input.infrastructure) {
    const origin = endpoint.started ? paint(' (started here)', 'dim') : paint(' (already running)', 'dim');
    lines.push(row(endpoint.kind.title, `${redactUrl(endpoint.url)}${origin}`));
  }
  if (input.tls) lines.push(row('TLS certificate', input.tls.certFile));
  if (input.tls || input.infrastructure.some((endpoint) => endpoint.started)) lines.push(row('Data', input.dataRoot));
  lines.push('');
  lines.push(paint('Next, in another terminal:', 'bold'));
  for (const command of input.next) lines.push(`  ${paint(command, 'cyan')}`);
  if (input.keepsRunning) lines.push('', paint('Ctrl-C stops everything started here.', 'dim'));
  return lines;
}

/** Draws a rounded box around lines, measuring them without colour codes. */
export function box(lines: readonly string[]): string {
  const width = Math.max(...lines.map((line) => visibleText(line).length));
  const body = lines.map((line) => `│ ${line}${' '.repeat(width - visibleText(line).length)} │`);
  return [`╭${'─'.repeat(width + 2)}╮`, ...body, `╰${'─'.repeat(width + 2)}╯`].join('\n');
}
