import { describe, expect, it } from 'vitest';
import { shutdownSignals } from './shutdown';

describe('shutdownSignals', () => {
  it('drains on the signals Kubernetes and a terminal send', () => {
    expect(shutdownSignals).toEqual(['SIGTERM', 'SIGINT']);
  });
});
