/**
 * `mail.v1.relay.dkim`: what `mailctl dkim` asks. The relay generates and
 * keeps the keys (mailctl never sees a private key, and only the relay
 * writes the key store); the answer carries the public half as the DNS TXT
 * record to publish (RFC 6376 §3.6).
 */
import { RemoteError } from '@mail/bus';
import type { DkimKeyInfo, DkimRequest, DkimResponse } from '@mail/contracts';
import type { Logger } from '@mail/telemetry';
import { defaultSelector, dnsRecordOf, generateDkimKey, type DkimKey, type DkimKeyStore } from './dkim-keys';

export function createDkimAdmin(keys: DkimKeyStore, log: Pick<Logger, 'info'>, now: () => Date = () => new Date()) {
  return async (request: DkimRequest): Promise<DkimResponse> => {
    switch (request.op) {
      case 'generate': {
        const key = await generateDkimKey(request.domain, request.selector ?? defaultSelector(now()), now());
        if (!(await keys.put(key, request.replace === true))) {
          throw new RemoteError('key-exists', `${key.domain} has a DKIM key already (replace it with --replace, after publishing the new record)`);
        }
        log.info({ domain: key.domain, selector: key.selector }, 'DKIM key generated');
        return { keys: [infoOf(key)], message: `publish this record, then mail from ${key.domain} is signed with selector ${key.selector}` };
      }
      case 'show': {
        const key = await keys.get(request.domain);
        if (!key) throw new RemoteError('not-found', `${request.domain} has no DKIM key`);
        return { keys: [infoOf(key)] };
      }
      case 'remove': {
        if (!(await keys.remove(request.domain))) throw new RemoteError('not-found', `${request.domain} has no DKIM key`);
        log.info({ domain: request.domain }, 'DKIM key removed');
        return { keys: [], message: `${request.domain}: mail is no longer signed` };
      }
      case 'list':
        return { keys: (await keys.list()).map(infoOf) };
    }
  };
}

function infoOf(key: DkimKey): DkimKeyInfo {
  const record = dnsRecordOf(key);
  return { domain: key.domain, selector: key.selector, algorithm: key.algorithm, createdAt: key.createdAt, dnsName: record.name, dnsValue: record.value };
}
