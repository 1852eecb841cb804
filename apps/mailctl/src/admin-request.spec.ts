/** Unit tests of admin-request.ts: payloads valid against the contract. */
import { describe, expect, it } from 'vitest';
import { AdminRequest } from '@mail/contracts';
import { adminRequestOf } from './admin-request';

describe('adminRequestOf', () => {
  it('builds valid admin payloads', () => {
    const requests = [
      adminRequestOf({ op: 'domain.add', domain: 'example.test' }),
      adminRequestOf({ op: 'domain.list' }),
      adminRequestOf({ op: 'user.add', address: 'bob@example.test', password: { from: 'stdin' } }, 'pw'),
      adminRequestOf({ op: 'user.list' }),
      adminRequestOf({ op: 'user.list', domain: 'example.test' }),
    ];
    for (const request of requests) expect(AdminRequest.safeParse(request).success).toBe(true);
    expect(requests[2]).toEqual({ version: 1, op: 'user.add', address: 'bob@example.test', password: 'pw' });
  });
});
