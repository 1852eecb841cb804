/** A parsed mailctl command as the `mail.v1.admin` request payload. */
import type { AdminRequest } from '@mail/contracts';
import type { Command } from './command-line';

/** `password` is required for user.add and user.passwd, and is the APOP secret read from stdin for user.apop. */
export function adminRequestOf(command: Command, password?: string): AdminRequest {
  switch (command.op) {
    case 'user.apop': {
      const secret = command.secret === null ? null : command.secret.from === 'argument' ? command.secret.value : (password ?? '');
      return { version: 1, op: command.op, address: command.address, secret };
    }
    case 'user.add':
    case 'user.passwd':
      return { version: 1, op: command.op, address: command.address, password: password ?? '' };
    case 'user.list':
      return command.domain === undefined ? { version: 1, op: command.op } : { version: 1, op: command.op, domain: command.domain };
    default:
      return { version: 1, ...command };
  }
}
