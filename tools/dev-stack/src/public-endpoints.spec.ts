import { describe, expect, it } from 'vitest';
import { publicEndpoints } from './public-endpoints';

describe('publicEndpoints', () => {
  it('uses the services defaults', () => {
    expect(publicEndpoints({})).toEqual({ host: '127.0.0.1', smtp: 2525, submission: 2587, pop3: 1110, imap: 1143 });
  });

  it('reads the variables the services read', () => {
    expect(publicEndpoints({ SMTP_PORT: '25', SUBMISSION_PORT: '587', POP3_PORT: '110', IMAP_PORT: '143', LISTEN_HOST: '192.0.2.1' })).toEqual({
      host: '192.0.2.1',
      smtp: 25,
      submission: 587,
      pop3: 110,
      imap: 143,
    });
  });

  it('connects over loopback when the services listen everywhere, and ignores bad ports', () => {
    expect(publicEndpoints({ LISTEN_HOST: '0.0.0.0', SMTP_PORT: 'x', POP3_PORT: '70000' })).toEqual({
      host: '127.0.0.1',
      smtp: 2525,
      submission: 2587,
      pop3: 1110,
      imap: 1143,
    });
  });
});
