/** Admin operations on users: user.add (with INBOX, Junk and the other special-use folders), user.passwd, user.remove, user.list. */
import type { AdminRequest, AdminResponse } from '@mail/contracts';
import { normalizeDomain, parseAccountAddress } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import { hashPassword } from '../accounts/password';
import { addUser, listUsers, removeUser, setPassword } from '../accounts/users';
import type { Pool } from '../database/pool';

export type UserRequest = Extract<AdminRequest, { op: 'user.add' | 'user.passwd' | 'user.remove' | 'user.list' }>;

function accountOf(input: string) {
  const account = parseAccountAddress(input);
  if (!account) throw new AccountError('invalid-address', `${input} is not a valid mailbox address (local@domain)`);
  return account;
}

export async function administerUser(pool: Pool, request: UserRequest): Promise<AdminResponse> {
  switch (request.op) {
    case 'user.add': {
      const account = accountOf(request.address);
      await addUser(pool, account, await hashPassword(request.password));
      return { ok: true, message: `user ${account.address} added` };
    }
    case 'user.passwd': {
      const account = accountOf(request.address);
      await setPassword(pool, account.address, await hashPassword(request.password));
      return { ok: true, message: `password of ${account.address} changed` };
    }
    case 'user.remove': {
      const account = accountOf(request.address);
      await removeUser(pool, account.address);
      return { ok: true, message: `user ${account.address} removed with its messages` };
    }
    case 'user.list': {
      const domain = request.domain === undefined ? undefined : normalizeDomain(request.domain);
      if (request.domain !== undefined && domain === undefined) throw new AccountError('invalid-domain', `${request.domain} is not a valid domain name`);
      const users = await listUsers(pool, domain);
      const rows = users.map((u) => ({
        address: u.address,
        messages: String(u.messages),
        bytes: String(u.bytes),
        quota: u.quotaBytes ?? 'none',
        apop: u.apop ? 'yes' : 'no',
        created: u.createdAt.toISOString(),
      }));
      return { ok: true, message: `${users.length} user(s)`, rows };
    }
  }
}
