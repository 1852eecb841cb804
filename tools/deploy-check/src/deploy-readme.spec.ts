import { BusNamespace, Streams } from '@mail/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readWorkspaceFile } from './workspace';

const readme = readWorkspaceFile('deploy/README.md');
const ns = new BusNamespace('mail');

describe('deploy/README.md', () => {
  it('states the replication of every stream and of the body bucket of the bus catalog', () => {
    const names = [...Object.values(Streams).map((stream) => ns.streamName(stream)), ns.deadLetterStreamName(), ns.bodyBucket()];
    const undocumented = names.filter((name) => !new RegExp(`^\\|\\s*\`${name}\`.*\\|\\s*3 / 1\\s*\\|`, 'm').test(readme) && !new RegExp(`^\\|\\s*object store \`${name}\``, 'm').test(readme));
    expect(undocumented).toEqual([]);
  });

  it('waits for the migration Job of the current production release', () => {
    const release = parse(readWorkspaceFile('deploy/kubernetes/overlays/production/release/kustomization.yaml')) as { nameSuffix: string };
    expect(readme).toContain(`job/mailbox-store-migrate${release.nameSuffix}`);
  });
});
