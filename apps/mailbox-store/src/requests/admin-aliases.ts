/** Admin operations on aliases: alias.add, alias.remove, alias.list. */
import type { AdminRequest, AdminResponse } from '@mail/contracts';
import { normalizeDomain, parseAccountAddress } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import { parseAliasAddress } from '../accounts/alias-address';
import { addAlias, listAliases, removeAlias } from '../accounts/aliases';
import type { Pool } from '../database/pool';

export type AliasRequest = Extract<AdminRequest, { op: `alias.${string}` }>;

function aliasOf(input: string) {
  const alias = parseAliasAddress(input);
  if (!alias) throw new AccountError('invalid-alias', `${input} is not an alias address (local@domain, or @domain for a catch-all)`);
  return alias;
}

function targetOf(input: string): string {
  const account = parseAccountAddress(input);
  if (!account) throw new AccountError('invalid-address', `alias target ${input} is not a valid mailbox address (local@domain)`);
  return account.address;
}

export async function administerAlias(pool: Pool, request: AliasRequest): Promise<AdminResponse> {
  switch (request.op) {
    case 'alias.add': {
      const alias = aliasOf(request.address);
      const targets = request.targets.map(targetOf);
      await addAlias(pool, alias, targets);
      const kind = alias.catchAll ? 'catch-all' : 'alias';
      return { ok: true, message: `${kind} ${alias.address} added (→ ${[...new Set(targets)].join(', ')})` };
    }
    case 'alias.remove': {
      const alias = aliasOf(request.address);
      await removeAlias(pool, alias.address);
      return { ok: true, message: `alias ${alias.address} removed` };
    }
    case 'alias.list': {
      const domain = request.domain === undefined ? undefined : normalizeDomain(request.domain);
      if (request.domain !== undefined && domain === undefined) throw new AccountError('invalid-domain', `${request.domain} is not a valid domain name`);
      const aliases = await listAliases(pool, domain);
      return {
        ok: true,
        message: `${aliases.length} alias(es)`,
        rows: aliases.map((a) => ({ alias: a.alias, targets: a.targets.join(','), created: a.createdAt.toISOString() })),
      };
    }
  }
}
