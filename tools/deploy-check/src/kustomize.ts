/**
 * Rendering an overlay with `kubectl kustomize`. The rendering tests need a
 * kubectl whose built-in kustomize understands Components and the `labels`
 * field with includeTemplates: kustomize v4.5.4 or later (kubectl >= 1.24).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from './workspace';

export const minimumKustomize = [4, 5, 4] as const;

/** The kubectl to run: $KUBECTL, else `kubectl` on PATH. */
export const kubectlCommand = process.env['KUBECTL'] || 'kubectl';

/** What to tell whoever runs the tests on a machine without a suitable kubectl. */
export const kubectlInstallHint =
  'install kubectl >= 1.24 (built-in kustomize >= v4.5.4): Debian package `kubernetes-client` where its version is recent enough ' +
  '(bookworm\'s 1.20 ships kustomize v2 and fails with `unknown field "components"`), or the `kubectl` package of the Kubernetes or Google Cloud apt repositories';

export class KustomizeUnavailableError extends Error {
  override readonly name = 'KustomizeUnavailableError';
}

/** The version of kubectl's built-in kustomize; throws, naming what to install, when unusable. */
export function kustomizeVersion(kubectl = kubectlCommand): string {
  const result = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8', timeout: 30_000 });
  if (result.error) {
    throw new KustomizeUnavailableError(`${kubectl} cannot be run (${(result.error as NodeJS.ErrnoException).code}); ${kubectlInstallHint}`, { cause: result.error });
  }
  const match = /Kustomize Version:\s*v?(\d+)\.(\d+)\.(\d+)/.exec(`${result.stdout}${result.stderr}`);
  if (!match) throw new KustomizeUnavailableError(`kubectl reports no Kustomize Version (older than 1.24?); ${kubectlInstallHint}`);
  const version = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (compareVersions(version, minimumKustomize) < 0) {
    throw new KustomizeUnavailableError(`kubectl's kustomize is v${version.join('.')}, older than v${minimumKustomize.join('.')}; ${kubectlInstallHint}`);
  }
  return `v${version.join('.')}`;
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The YAML stream of one overlay (`kubectl kustomize deploy/kubernetes/overlays/<name>`). */
export function renderOverlay(name: string, kubectl = kubectlCommand): string {
  return renderKustomization(join(workspaceRoot, 'deploy', 'kubernetes', 'overlays', name), kubectl);
}

/** The YAML stream of any kustomization directory (`kubectl kustomize <dir>`). */
export function renderKustomization(dir: string, kubectl = kubectlCommand): string {
  const result = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  if (result.error) throw new KustomizeUnavailableError(`kubectl kustomize failed to start: ${result.error.message}; ${kubectlInstallHint}`, { cause: result.error });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir} exited with ${result.status}:\n${result.stderr}`);
  return result.stdout;
}
