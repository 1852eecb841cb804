/**
 * Who hears about what (RFC 3461 §4.1 NOTIFY). NEVER: nothing. A list: only
 * what it names (SUCCESS covers `relayed` too, §5.2.2). No NOTIFY: failures and
 * delays (§4.1 leaves the default to the MTA; "FAILURE,DELAY" is the
 * customary one). Nothing ever goes to the null reverse-path: a notice about
 * a notice could loop (RFC 5321 §4.5.5).
 */
import type { RecipientDsn } from '@mail/contracts';
import type { z } from 'zod';
import type { NoticeAction } from '../queue/delivery-notifier';

type Dsn = z.infer<typeof RecipientDsn>;

const keyword: Record<NoticeAction, 'FAILURE' | 'DELAY' | 'SUCCESS'> = { failed: 'FAILURE', delayed: 'DELAY', relayed: 'SUCCESS' };

export function wantsNotice(mailFrom: string, dsn: Dsn | undefined, action: NoticeAction): boolean {
  if (mailFrom === '') return false;
  const notify = dsn?.notify;
  if (!notify || notify.length === 0) return action !== 'relayed';
  return notify.includes(keyword[action]);
}
