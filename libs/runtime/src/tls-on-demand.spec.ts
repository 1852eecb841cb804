import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const hook = fileURLToPath(new URL('./tls-on-demand.ts', import.meta.url));

/**
 * Runs `script` (ES module) in a fresh Node with tls-on-demand.ts imported first, as a service bundle does;
 * resolves what it printed, parsed. Node strips the module's types itself: under tsx, whose require hooks
 * answer first, the module's hook would not be consulted.
 */
async function runWithHook(script: string): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', hook, '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

const tlsLoaded = `process.moduleLoadList.includes('NativeModule tls')`;

describe('tls-on-demand', () => {
  it('lets the NATS transport and ioredis load, and tell a plain socket from a TLS one, without node:tls', async () => {
    const seen = await runWithHook(`
      import { createRequire } from 'node:module';
      import { Socket } from 'node:net';
      const require = createRequire(import.meta.url);
      require('@nats-io/transport-node');
      require('ioredis');
      const natsTls = createRequire(require.resolve('@nats-io/transport-node'))('node:tls');
      const plainIsTls = new Socket() instanceof natsTls.TLSSocket;
      console.log(JSON.stringify({ loadedAfterImports: ${tlsLoaded}, plainIsTls, loadedAfterCheck: ${tlsLoaded} }));
    `);
    expect(seen).toEqual({ loadedAfterImports: false, plainIsTls: false, loadedAfterCheck: false });
  });

  it('gives those packages a node:tls that is the real one in use: constructor, instanceof, functions and every property', async () => {
    const seen = await runWithHook(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const facade = createRequire(require.resolve('ioredis'))('tls');
      const tls = process.getBuiltinModule('node:tls');
      const socket = new facade.TLSSocket(null);
      console.log(JSON.stringify({
        isFacade: facade !== tls,
        constructsReal: socket instanceof tls.TLSSocket,
        recognisesReal: socket instanceof facade.TLSSocket,
        connect: facade.connect === tls.connect,
        keys: Object.keys(facade).join() === Object.keys(tls).join(),
        rootCertificates: Object.getOwnPropertyDescriptor(facade, 'rootCertificates')?.enumerable === true && facade.rootCertificates === tls.rootCertificates,
        otherImporters: createRequire(import.meta.url)('node:tls') === tls,
      }));
    `);
    expect(seen).toEqual({ isFacade: true, constructsReal: true, recognisesReal: true, connect: true, keys: true, rootCertificates: true, otherImporters: true });
  });
});
