/**
 * node:tls loaded when a TLS connection is first made, not at start-up.
 *
 * The NATS transport and ioredis require node:tls at their top, though they
 * use it only to open a TLS connection (NATS_URL `tls://`, a Redis with
 * TLS); loading it costs every idle service about 3 MiB of RSS (bench idle
 * scenario, issue 14 in docs/benchmarks.md). This module points their
 * `require('tls')` at tls-on-demand-facade.cjs, which loads the real module
 * on first use. Every other importer gets node:tls itself, and the services'
 * own code takes it from `process.getBuiltinModule` where it makes a TLS
 * socket.
 *
 * It must run before those packages load: tools/build-app.mjs bundles it
 * beside every service bundle and makes it the bundle's first import. Under
 * tsx (development) it is not loaded and node:tls loads at start as before.
 */
import { registerHooks } from 'node:module';

/** Where the facade finds node:tls, taken before OpenTelemetry's require hook wraps process.getBuiltinModule. */
const loadTls = Symbol.for('@mail/runtime/tls-on-demand');
const getBuiltinModule = process.getBuiltinModule.bind(process);
Object.defineProperty(globalThis, loadTls, { value: () => getBuiltinModule('node:tls') });

const facade = new URL('./tls-on-demand-facade.cjs', import.meta.url).href;
/** Packages whose node:tls is needed only for a TLS connection. */
const tlsOnConnectOnly = ['/node_modules/@nats-io/transport-node/', '/node_modules/ioredis/'];

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if ((specifier === 'tls' || specifier === 'node:tls') && parent !== undefined && tlsOnConnectOnly.some((path) => parent.includes(path))) {
      return { url: facade, format: 'commonjs', shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});
