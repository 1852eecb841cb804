/** Admin operations on domains: domain.add, domain.remove, domain.list. */
import type { AdminRequest, AdminResponse } from '@mail/contracts';
import { normalizeDomain } from '../accounts/account-address';
import { AccountError } from '../accounts/account-error';
import { addDomain, listDomains, removeDomain } from '../accounts/domains';
import type { Queryable } from '../database/pool';

export type DomainRequest = Extract<AdminRequest, { op: `domain.${string}` }>;

function domainOf(input: string): string {
  const domain = normalizeDomain(input);
  if (domain === undefined) throw new AccountError('invalid-domain', `${input} is not a valid domain name`);
  return domain;
}

export async function administerDomain(db: Queryable, request: DomainRequest): Promise<AdminResponse> {
  switch (request.op) {
    case 'domain.add': {
      const domain = domainOf(request.domain);
      await addDomain(db, domain);
      return { ok: true, message: `domain ${domain} added` };
    }
    case 'domain.remove': {
      const domain = domainOf(request.domain);
      await removeDomain(db, domain);
      return { ok: true, message: `domain ${domain} removed` };
    }
    case 'domain.list': {
      const domains = await listDomains(db);
      return {
        ok: true,
        message: `${domains.length} domain(s)`,
        rows: domains.map((d) => ({ domain: d.domain, users: String(d.users), created: d.createdAt.toISOString() })),
      };
    }
  }
}
