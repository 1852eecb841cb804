// Tests of external-tool.ts: a missing program skips outside CI and fails under CI, naming its Debian package.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { ExternalToolMissingError, findBinary, missingTools, requireTools, runningUnderCi, type ExternalTool } from './external-tool';

const dir = mkdtempSync(join(tmpdir(), 'external-tool-'));
const present = join(dir, 'present-tool');
writeFileSync(present, '#!/bin/sh\nexit 0\n');
chmodSync(present, 0o755);
writeFileSync(join(dir, 'not-executable'), 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

const here: ExternalTool = { binary: 'present-tool', debianPackage: 'present-package' };
const gone: ExternalTool = { binary: 'absent-tool', debianPackage: 'absent-package' };
const path = `/nonexistent${delimiter}${delimiter}${dir}`;

/** A test context whose skip records its note (vitest's throws to end the test). */
function recordingContext(): { skip(note?: string): never; notes: (string | undefined)[] } {
  const notes: (string | undefined)[] = [];
  return {
    notes,
    skip(note?: string): never {
      notes.push(note);
      throw new Error('skipped');
    },
  };
}

describe('findBinary', () => {
  it('finds an executable file in a PATH folder, and nothing that is not executable', () => {
    expect(findBinary('present-tool', path)).toBe(present);
    expect(findBinary('not-executable', path)).toBeUndefined();
    expect(findBinary('absent-tool', path)).toBeUndefined();
    expect(findBinary('present-tool', undefined)).toBeUndefined();
  });
});

describe('runningUnderCi', () => {
  it('is CI when CI is set to anything but "", "0" or "false"', () => {
    expect([{ CI: '1' }, { CI: 'true' }, { CI: 'yes' }].map(runningUnderCi)).toEqual([true, true, true]);
    expect([{}, { CI: '' }, { CI: '0' }, { CI: 'false' }, { CI: 'FALSE' }].map(runningUnderCi)).toEqual([false, false, false, false, false]);
  });
});

describe('missingTools', () => {
  it('is undefined when every tool is installed, under CI or not', () => {
    expect(missingTools([here], { PATH: path })).toBeUndefined();
    expect(missingTools([here], { PATH: path, CI: '1' })).toBeUndefined();
  });

  it('outside CI returns a message naming each missing binary and its Debian package', () => {
    expect(missingTools([here, gone, { binary: 'promtool', debianPackage: 'prometheus' }], { PATH: path })).toBe(
      'not installed: absent-tool (Debian package absent-package), promtool (Debian package prometheus); install with `apt-get install absent-package prometheus`',
    );
  });

  it('under CI throws ExternalToolMissingError with that message', () => {
    expect(() => missingTools([gone], { PATH: path, CI: '1' })).toThrow(ExternalToolMissingError);
    expect(() => missingTools([gone], { PATH: path, CI: '1' })).toThrow(/^not installed: absent-tool \(Debian package absent-package\); install with `apt-get install absent-package` \(CI is set/);
  });
});

describe('requireTools', () => {
  it('lets the test go on when the tool is installed', () => {
    vi.stubEnv('PATH', path);
    vi.stubEnv('CI', '');
    const context = recordingContext();
    requireTools(context, here);
    expect(context.notes).toEqual([]);
  });

  it('skips with the message outside CI', () => {
    vi.stubEnv('PATH', path);
    vi.stubEnv('CI', '');
    const context = recordingContext();
    expect(() => requireTools(context, gone)).toThrow('skipped');
    expect(context.notes).toEqual(['not installed: absent-tool (Debian package absent-package); install with `apt-get install absent-package`']);
  });

  it('fails, without skipping, under CI', () => {
    vi.stubEnv('PATH', path);
    vi.stubEnv('CI', '1');
    const context = recordingContext();
    expect(() => requireTools(context, gone)).toThrow(ExternalToolMissingError);
    expect(context.notes).toEqual([]);
  });
});
