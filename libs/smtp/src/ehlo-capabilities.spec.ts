import { describe, it, expect } from 'vitest';
import { parseEhloCapabilities } from './ehlo-capabilities';

describe('parseEhloCapabilities (RFC 5321 §4.1.1.1)', () => {
  it('maps keywords to parameters, skipping the greeting line', () => {
    const caps = parseEhloCapabilities(['mx.example.test Hello [192.0.2.1]', 'SIZE 26214400', 'PIPELINING', 'starttls', '8BITMIME', 'SMTPUTF8', 'AUTH PLAIN LOGIN', 'ENHANCEDSTATUSCODES', 'CHUNKING']);
    expect([...caps.keys()]).toEqual(['SIZE', 'PIPELINING', 'STARTTLS', '8BITMIME', 'SMTPUTF8', 'AUTH', 'ENHANCEDSTATUSCODES', 'CHUNKING']);
    expect(caps.get('SIZE')).toEqual(['26214400']);
    expect(caps.get('PIPELINING')).toEqual([]);
    expect(caps.get('AUTH')).toEqual(['PLAIN', 'LOGIN']);
  });

  it('merges the old AUTH= form and ignores junk', () => {
    const caps = parseEhloCapabilities(['mx', 'AUTH LOGIN PLAIN', 'AUTH=LOGIN cram-md5', '', '-bad', 'X_UNDERSCORE']);
    expect(caps.get('AUTH')).toEqual(['LOGIN', 'PLAIN', 'CRAM-MD5']);
    expect([...caps.keys()]).toEqual(['AUTH']);
  });
});
