import { describe, expect, it } from 'vitest';
import { localRedisUrl } from './redis';

describe('localRedisUrl', () => {
  it('keeps the database number and drops host and credentials', () => {
    expect(localRedisUrl('redis://:secret@cache.example.com:6379/2', 6380)).toBe('redis://127.0.0.1:6380/2');
    expect(localRedisUrl('redis://127.0.0.1:6379', 6379)).toBe('redis://127.0.0.1:6379');
    expect(localRedisUrl('nonsense', 6379)).toBe('redis://127.0.0.1:6379');
  });
});
