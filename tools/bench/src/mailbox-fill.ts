/**
 * Filling mailboxes for the reading scenarios (POP3, IMAP): `perUser`
 * messages of 2 KiB to each address through smtp-ingress with the built-in
 * generator (20 kept-open sessions), then waiting until every one is stored.
 */
import type { TransactionRequest } from '@mail/smtp-client';
import { inboundMessageBytes } from './inbound-load';
import { progressCounter } from './progress';
import type { ScenarioContext } from './scenario-context';
import { runSmtpLoad } from './smtp-load';
import { testRequest } from './test-message';

/** Delivers `perUser` messages to each address and waits until they are stored; `label` names the scenario in progress lines and notes. */
export async function fillMailboxes(context: ScenarioContext, label: string, addresses: readonly string[], perUser: number): Promise<void> {
  const sender = `${label}-filler@source.test`;
  const requests = addresses.map((address) => testRequest(inboundMessageBytes, sender, address, `bench ${label}`));
  const total = addresses.length * perUser;
  const result = await runSmtpLoad({
    port: context.bench.stack.smtpPort,
    sessions: 20,
    total,
    reuseConnections: true,
    message: (i) => requests[i % requests.length] as TransactionRequest,
    onProgress: progressCounter(`${label} fill`, total),
  });
  if (result.failed > 0) context.note(`${label}: ${result.failed} fill messages refused (first: ${result.firstError})`);
  for (const address of addresses) await context.bench.waitStored(address, perUser, 600_000);
}
