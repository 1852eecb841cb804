/** Admin operations on a user's settings: user.quota and user.apop (the APOP secret, sealed before it is stored). */
import type { AdminRequest, AdminResponse } from '@mail/contracts';
import { parseAccountAddress } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import type { ApopSecretCipher } from '../accounts/apop-secret';
import { setQuota } from '../accounts/quota';
import { setApopSecret } from '../accounts/users';
import type { Pool } from '../database/pool';

export type UserSettingRequest = Extract<AdminRequest, { op: 'user.quota' | 'user.apop' }>;

/** Why APOP secrets cannot be set: the sealing key is not configured. */
export const apopUnavailable = 'APOP_SECRET_KEY is not set on mailbox-store; set it (e.g. `openssl rand -hex 32`) to store APOP secrets';

export async function administerUserSetting(pool: Pool, cipher: ApopSecretCipher | undefined, request: UserSettingRequest): Promise<AdminResponse> {
  const account = parseAccountAddress(request.address);
  if (!account) throw new AccountError('invalid-address', `${request.address} is not a valid mailbox address (local@domain)`);
  switch (request.op) {
    case 'user.quota':
      await setQuota(pool, account.address, request.bytes);
      return { ok: true, message: request.bytes === null ? `quota of ${account.address} removed` : `quota of ${account.address} set to ${request.bytes} octets` };
    case 'user.apop': {
      if (request.secret === null) {
        await setApopSecret(pool, account.address, null);
        return { ok: true, message: `APOP secret of ${account.address} removed` };
      }
      if (cipher === undefined) throw new AccountError('apop-unavailable', apopUnavailable);
      await setApopSecret(pool, account.address, cipher.seal(account.address, request.secret));
      return { ok: true, message: `APOP secret of ${account.address} set` };
    }
  }
}
