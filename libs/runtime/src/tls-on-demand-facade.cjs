'use strict';
// node:tls, loaded on first use (tls-on-demand.ts says for whom and why).
//
// OpenTelemetry's require hook (require-in-the-middle) keeps what the first
// `require('tls')` returned and hands it to every later `require('tls')` and
// `process.getBuiltinModule('node:tls')` in the process, so this facade must
// behave as node:tls in every way: each property is the real module's,
// except TLSSocket before the module is loaded.
const loadTls = globalThis[Symbol.for('@mail/runtime/tls-on-demand')];
let tls;
const real = () => (tls ??= loadTls());

// Stands in for TLSSocket until node:tls is loaded. The NATS transport asks
// `socket instanceof TLSSocket` of every connection; a socket that is not
// encrypted is not a TLSSocket, and answering that needs no node:tls.
// `new` makes a real TLSSocket.
class TLSSocketOnDemand {
  constructor(...args) {
    return new (real().TLSSocket)(...args);
  }
  static [Symbol.hasInstance](value) {
    return value?.encrypted === true && value instanceof real().TLSSocket;
  }
}

module.exports = new Proxy(
  {},
  {
    get: (_, key) => (key === 'TLSSocket' && tls === undefined ? TLSSocketOnDemand : real()[key]),
    has: (_, key) => key in real(),
    ownKeys: () => Reflect.ownKeys(real()),
    // A proxy may not call a property non-configurable that its (empty) target lacks; rootCertificates is one.
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
  },
);
