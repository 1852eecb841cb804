/**
 * The inbound load of scenario 1, against any SMTP server (ours, or the
 * private Postfix): `messages` messages of 2 KiB over `sessions` sessions,
 * one connection per message, with smtp-source when installed or the
 * built-in generator otherwise. Resolves with performance.now() at the
 * start and at the last 250.
 */
import { progressCounter } from './progress';
import { runSmtpLoad } from './smtp-load';
import { runSmtpSource } from './smtp-source';
import { testRequest } from './test-message';

export const inboundMessageBytes = 2048;
export const inboundSender = 'load-sender@source.test';

export interface InboundLoad {
  readonly port: number;
  readonly sessions: number;
  readonly messages: number;
  readonly to: string;
  readonly useSmtpSource: boolean;
}

export async function runInboundLoad(load: InboundLoad): Promise<{ startedAt: number; acceptedAt: number; failures: string | undefined }> {
  const startedAt = performance.now();
  if (load.useSmtpSource) {
    const milliseconds = await runSmtpSource({ port: load.port, sessions: load.sessions, messages: load.messages, messageBytes: inboundMessageBytes, from: inboundSender, to: load.to });
    return { startedAt, acceptedAt: startedAt + milliseconds, failures: undefined };
  }
  const request = testRequest(inboundMessageBytes, inboundSender, load.to, 'bench inbound');
  const result = await runSmtpLoad({ port: load.port, sessions: load.sessions, total: load.messages, message: () => request, onProgress: progressCounter('accepted', load.messages) });
  const failures = result.failed > 0 ? `${result.failed} messages refused (first: ${result.firstError})` : undefined;
  return { startedAt, acceptedAt: result.lastAcceptedAt, failures };
}
