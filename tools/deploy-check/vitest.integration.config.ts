import { defineConfig } from 'vitest/config';

// Rendering tier: runs `kubectl kustomize` on every overlay under
// deploy/kubernetes/overlays and checks what comes out. Needs kubectl with
// kustomize >= v4.5.4 (kubectl >= 1.24; $KUBECTL names another binary);
// fails, naming what to install, without it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
