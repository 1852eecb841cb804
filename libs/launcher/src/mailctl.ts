/** The real mailctl CLI (apps/mailctl/bin/mailctl.js, which runs its build) against a platform's environment. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { workspaceRoot } from './workspace';

const run = promisify(execFile);

export interface MailctlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `mailctl ...args` with `env` over this process's environment; never throws for a failing command (see `code`). */
export async function runMailctl(env: Readonly<Record<string, string>>, ...args: string[]): Promise<MailctlResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['apps/mailctl/bin/mailctl.js', ...args], { cwd: workspaceRoot, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failure.code === 'number' ? failure.code : 1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
