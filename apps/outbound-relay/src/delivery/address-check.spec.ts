import { describe, expect, it } from 'vitest';
import { checkAddresses } from './address-check';

describe('checkAddresses', () => {
  it('passes addresses that can be written into RCPT TO', () => {
    expect(checkAddresses('s@origin.test', ['a@x.test', '"quoted local"@x.test', 'ü@bücher.test'])).toEqual({
      sendable: ['a@x.test', '"quoted local"@x.test', 'ü@bücher.test'],
      failures: [],
    });
  });

  it('fails an unwritable recipient permanently with 553 5.1.3, alone', () => {
    const { sendable, failures } = checkAddresses('', ['a@x.test', 'a..b@x.test']);
    expect(sendable).toEqual(['a@x.test']);
    expect(failures).toEqual([expect.objectContaining({ recipient: 'a..b@x.test', status: 'permanent', reply: expect.objectContaining({ code: 553, enhanced: '5.1.3' }) })]);
  });

  it('fails every recipient with 5.1.7 when the sender cannot be written', () => {
    const { sendable, failures } = checkAddresses('bad..sender@origin.test', ['a@x.test']);
    expect(sendable).toEqual([]);
    expect(failures[0]?.reply?.enhanced).toBe('5.1.7');
  });
});
