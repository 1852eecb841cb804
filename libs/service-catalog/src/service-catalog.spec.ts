import { describe, expect, it } from 'vitest';
import { catalogService, schemaOwner, serviceCatalog, serviceNames, startOrder } from './service-catalog';

describe('serviceCatalog', () => {
  it('gives every service an ops port of its own', () => {
    const ports = serviceCatalog.map((service) => service.opsPort);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('gives no two listeners the same variable or default port', () => {
    const all = serviceCatalog.flatMap((service) => service.listeners);
    expect(new Set(all.map((listener) => listener.portVariable)).size).toBe(all.length);
    const defaults = all.flatMap((listener) => (listener.defaultPort === undefined ? [] : [listener.defaultPort]));
    expect(new Set([...defaults, ...serviceCatalog.map((service) => service.opsPort)]).size).toBe(defaults.length + serviceCatalog.length);
  });

  it('names each entry point after the service folder', () => {
    expect(catalogService('pop3-server').entry).toEqual({ source: 'apps/pop3-server/src/main.ts', dist: 'dist/apps/pop3-server/main.mjs' });
  });

  it('starts the schema owner first, then the others in catalog order', () => {
    expect(schemaOwner.name).toBe('mailbox-store');
    expect(startOrder).toEqual(['mailbox-store', ...serviceNames.filter((name) => name !== 'mailbox-store')]);
  });

  it('refuses a name that is not in the catalog', () => {
    expect(() => catalogService('webmail' as never)).toThrow(/webmail is not in the service catalog/);
  });
});
