import { describe, expect, it } from 'vitest';
import type { ResolveRecipientResponse } from '@mail/contracts';
import type { RecipientDirectory } from '../directory/recipient-directory';
import { checkSenderOwnership } from './sender-ownership';

const directory: RecipientDirectory = {
  async resolve(address): Promise<ResolveRecipientResponse> {
    const table: Record<string, ResolveRecipientResponse> = {
      'sales@example.test': { result: 'local', mailboxes: ['carol@example.test', 'bob@example.test'] },
      'carol@example.test': { result: 'local', mailboxes: ['carol@example.test'] },
      'nobody@example.test': { result: 'unknown-user' },
    };
    return table[address.toLowerCase()] ?? { result: 'not-local-domain' };
  },
};

describe('checkSenderOwnership', () => {
  it("accepts the user's own address in any case, aliases that deliver to the user, and <>", async () => {
    await expect(checkSenderOwnership(directory, 'bob@example.test', 'bob@example.test')).resolves.toBeUndefined();
    await expect(checkSenderOwnership(directory, 'bob@example.test', 'Bob@Example.TEST')).resolves.toBeUndefined();
    await expect(checkSenderOwnership(directory, 'bob@example.test', 'sales@example.test')).resolves.toBeUndefined();
    await expect(checkSenderOwnership(directory, 'bob@example.test', '')).resolves.toBeUndefined();
  });

  it.each(['carol@example.test', 'nobody@example.test', 'bob@elsewhere.test'])('refuses %s with 553 5.7.1', async (sender) => {
    await expect(checkSenderOwnership(directory, 'bob@example.test', sender)).rejects.toThrow(`553 5.7.1 Sender address <${sender}> not owned by user bob@example.test`);
  });
});
