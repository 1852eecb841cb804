/**
 * RENDERING TEST — needs kubectl (built-in kustomize >= v4.5.4), like
 * overlays.test.ts: every overlay gives each service its own NATS user from
 * its Secret, and the overlays that promise TLS reach NATS over TLS.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOverlay } from '../src/kustomize';
import { parseManifestStream } from '../src/manifest-stream';
import { natsCredentialProblems } from '../src/nats-credentials';
import { overlayExpectations } from '../src/overlay-expectations';
import { RenderedManifests } from '../src/rendered-manifests';
import { workspaceRoot } from '../src/workspace';

const overlays = readdirSync(join(workspaceRoot, 'deploy', 'kubernetes', 'overlays'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

describe.each(overlays)('overlay %s [needs kubectl]', (overlay) => {
  it('gives every service its NATS credentials (and TLS to NATS where the overlay has TLS)', () => {
    const manifests = new RenderedManifests(parseManifestStream(renderOverlay(overlay)));
    expect(natsCredentialProblems(manifests, { tls: overlayExpectations[overlay]?.tls ?? true })).toEqual([]);
  });
});
