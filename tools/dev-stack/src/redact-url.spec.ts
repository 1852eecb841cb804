import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('hides passwords and leaves the rest alone', () => {
    expect(redactUrl('postgres://mail:s3cret@db:5432/mail')).toBe('postgres://mail:***@db:5432/mail');
    expect(redactUrl('redis://:s3cret@127.0.0.1:6379')).toBe('redis://:***@127.0.0.1:6379');
    expect(redactUrl('nats://127.0.0.1:4222')).toBe('nats://127.0.0.1:4222');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
