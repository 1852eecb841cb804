/**
 * The workspace the checks read: its root, its files as the Docker build
 * context would see them (before the ignore file), and small readers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceNames, type ServiceName } from '@mail/service-catalog';

/** Absolute path of the repository root (tools/deploy-check/src → ../../..). */
export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Folders that are never part of the build context or the sources. */
const skippedDirs = new Set(['node_modules', '.git', '.nx', '.data']);

/** Reads a workspace file by its path relative to the root (forward slashes). */
export function readWorkspaceFile(path: string): string {
  return readFileSync(join(workspaceRoot, path), 'utf8');
}

/** Every file of the workspace, as root-relative paths with forward slashes, sorted. */
export function listWorkspaceFiles(root: string = workspaceRoot): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skippedDirs.has(entry.name)) walk(join(dir, entry.name));
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(relative(root, join(dir, entry.name)).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return files.sort();
}

/** The long-running services of @mail/service-catalog: each has an image, a Deployment, a PDB. */
export const services = serviceNames;
export type { ServiceName };
