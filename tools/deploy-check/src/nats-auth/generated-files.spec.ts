import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { busParties } from '@mail/contracts';
import { serviceNames } from '@mail/service-catalog';
import { readWorkspaceFile } from '../workspace';
import { generatedFiles, generatedPaths } from './generated-files';
import { natsUsers } from './nats-users';

const files = await generatedFiles();

describe('npm run nats-auth', () => {
  it.each(files.map((file) => file.path))('%s is what the contracts generate (run `npm run nats-auth` after changing them)', (path) => {
    expect(readWorkspaceFile(path)).toBe(files.find((file) => file.path === path)?.text);
  });

  it('names one user per party in the server configuration, passwords as variables only', () => {
    const config = files.find((file) => file.path === generatedPaths.serverConfig)?.text ?? '';
    expect([...config.matchAll(/^ {6}user: "([^"]+)"$/gm)].map((m) => m[1])).toEqual([...busParties]);
    expect([...config.matchAll(/^ {6}password: (.*)$/gm)].map((m) => m[1])).toEqual(natsUsers('mail').map((user) => `$${user.passwordVariable}`));
    expect(config.match(/allow_responses: true/g)).toHaveLength(3);
  });

  it('gives the Helm release a password variable per user, from the Secret nats-users', () => {
    const values = parse(files.find((file) => file.path === generatedPaths.helmValues)?.text ?? '') as {
      config: { merge: { authorization: { users: { user: string; password: string }[] } } };
      container: { env: Record<string, { valueFrom: { secretKeyRef: { name: string; key: string } } }> };
    };
    const users = values.config.merge.authorization.users;
    expect(users.map((u) => u.user)).toEqual([...busParties]);
    for (const user of natsUsers('mail')) {
      expect(users.find((u) => u.user === user.party)?.password).toBe(`<< $${user.passwordVariable} >>`);
      expect(values.container.env[user.passwordVariable]?.valueFrom.secretKeyRef).toEqual({ name: 'nats-users', key: user.party });
    }
  });

  it('patches every Deployment with its own credentials', () => {
    const component = parse(files.find((file) => file.path === generatedPaths.component)?.text ?? '') as { patches: { target: { name: string }; patch: string }[] };
    expect(component.patches.map((p) => p.target.name)).toEqual([...serviceNames]);
    for (const patch of component.patches) expect(patch.patch).toContain(`name: mail-nats-${patch.target.name}\n`);
  });
});
