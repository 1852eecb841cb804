/**
 * The verdict, per fault phase and in total, from what the clients recorded
 * and what is found afterwards (mailbox entries and deliveries at the
 * remote MX, counted by Message-ID):
 * - accepted (250) and missing any expected copy → lost;
 * - more copies anywhere than expected → duplicated;
 * - never a 250 (refused every time) yet found anywhere → leaked;
 * - unconfirmed (connection lost after the final dot, RFC 1047): found
 *   exactly as expected → "stored once", found nowhere → "not stored";
 *   more copies → duplicated; partly there → lost.
 * - one extra copy at the remote MX whose first copy was left in doubt (the
 *   relay died between the remote 250 and recording it — RFC 1047 with the
 *   relay as the client, where SMTP allows only "at least once") → counted
 *   apart as relayWindow, not as duplicated.
 */
import type { MessageRecord } from './message-ledger';

export interface PhaseTally {
  readonly phase: string;
  sent: number;
  attempts: number;
  accepted: number;
  refused: number;
  unconfirmed: number;
  unconfirmedStoredOnce: number;
  unconfirmedNotStored: number;
  stored: number;
  delivered: number;
  lost: number;
  duplicated: number;
  relayWindow: number;
  leaked: number;
}

/** Copies found per Message-ID. */
export interface FoundCopies {
  readonly stored: ReadonlyMap<string, number>;
  readonly delivered: ReadonlyMap<string, number>;
  /** Message-IDs whose first remote copy was the last thing on its connection. */
  readonly deliveredInDoubt?: ReadonlySet<string>;
}

function emptyTally(phase: string): PhaseTally {
  return {
    phase,
    sent: 0,
    attempts: 0,
    accepted: 0,
    refused: 0,
    unconfirmed: 0,
    unconfirmedStoredOnce: 0,
    unconfirmedNotStored: 0,
    stored: 0,
    delivered: 0,
    lost: 0,
    duplicated: 0,
    relayWindow: 0,
    leaked: 0,
  };
}

function count(record: MessageRecord, row: PhaseTally, found: FoundCopies): void {
  const { messageId, expectedStored, expectedDelivered } = record.message;
  const stored = found.stored.get(messageId) ?? 0;
  const delivered = found.delivered.get(messageId) ?? 0;
  row.sent++;
  row.attempts += record.attempts;
  row.stored += stored;
  row.delivered += delivered;
  const relayWindow = expectedDelivered === 1 && delivered === 2 && (found.deliveredInDoubt?.has(messageId) ?? false);
  const extra = relayWindow ? 1 : 0;
  const duplicated = stored > expectedStored || delivered - extra > expectedDelivered;
  const complete = stored === expectedStored && delivered - extra === expectedDelivered;
  const absent = stored === 0 && delivered === 0;
  if (duplicated) row.duplicated++;
  else if (relayWindow) row.relayWindow++;
  if (record.state === 'accepted') {
    row.accepted++;
    if (!duplicated && !complete) row.lost++;
  } else if (record.state === 'unconfirmed') {
    row.unconfirmed++;
    if (complete) row.unconfirmedStoredOnce++;
    else if (absent) row.unconfirmedNotStored++;
    else if (!duplicated) row.lost++;
  } else {
    row.refused++;
    if (!absent) row.leaked++;
  }
}

/** One row per phase (in order), then the total. */
export function tally(records: readonly MessageRecord[], phases: readonly string[], found: FoundCopies): PhaseTally[] {
  const rows = phases.map(emptyTally);
  const total = emptyTally('total');
  for (const record of records) {
    const row = rows[record.message.phase];
    if (!row) continue;
    count(record, row, found);
    count(record, total, found);
  }
  return [...rows, total];
}

/** Whether the run kept the promise: nothing lost, duplicated or leaked. */
export function kept(rows: readonly PhaseTally[]): boolean {
  return rows.every((row) => row.lost === 0 && row.duplicated === 0 && row.leaked === 0);
}
