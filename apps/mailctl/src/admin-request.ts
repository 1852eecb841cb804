/** A parsed mailctl command as the `mail.v1.admin` request payload. */
import type { AdminRequest } from '@mail/contracts';
import type { Command } from './command-line';

/** `password` is required for user.add and user.passwd (already read from its source). */
export function adminRequestOf(command: Command, password?: string): AdminRequest {
  switch (command.op) {
    case 'user.add':
    case 'user.passwd':
      return { version: 1, op: command.op, address: command.address, password: password ?? '' };
    case 'user.list':
      return command.domain === undefined ? { version: 1, op: command.op } : { version: 1, op: command.op, domain: command.domain };
    default:
      return { version: 1, ...command };
  }
}
