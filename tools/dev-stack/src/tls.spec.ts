import { describe, expect, it } from 'vitest';
import { certificateName, opensslArgs } from './tls';

describe('certificateName', () => {
  it('follows MAIL_HOSTNAME, defaulting to localhost', () => {
    expect(certificateName({ MAIL_HOSTNAME: 'mx.example.test' })).toBe('mx.example.test');
    expect(certificateName({})).toBe('localhost');
    expect(certificateName({ MAIL_HOSTNAME: ' ' })).toBe('localhost');
  });
});

describe('opensslArgs', () => {
  it('asks for an unencrypted self-signed RSA certificate valid for a year', () => {
    const args = opensslArgs('mx.example.test', { certFile: '/d/cert.pem', keyFile: '/d/key.pem' });
    expect(args.join(' ')).toBe('req -x509 -newkey rsa:2048 -nodes -days 365 -subj /CN=mx.example.test -addext subjectAltName=DNS:mx.example.test -keyout /d/key.pem -out /d/cert.pem');
  });
});
