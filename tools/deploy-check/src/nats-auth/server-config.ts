/**
 * The nats-server `authorization` block (NATS server configuration format):
 * one user per party with publish and subscribe allow lists and, for the
 * services that answer requests, `allow_responses`. Passwords are
 * variables the server reads from its environment (`$SMTP_INGRESS_NATS_PASSWORD`),
 * never written here. With users configured, a client without valid
 * credentials is refused.
 */
import type { NatsUser } from './nats-users';

const quoted = (subject: string) => JSON.stringify(subject);

function list(subjects: readonly string[], indent: string): string {
  return `[\n${subjects.map((subject) => `${indent}  ${quoted(subject)}`).join('\n')}\n${indent}]`;
}

function userBlock(user: NatsUser): string {
  const { publish, subscribe, allowResponses } = user.permissions;
  const lines = [
    '    {',
    `      user: ${quoted(user.party)}`,
    `      password: $${user.passwordVariable}`,
    '      permissions: {',
    `        publish: { allow: ${list(publish, '        ')} }`,
    `        subscribe: { allow: ${list(subscribe, '        ')} }`,
    ...(allowResponses ? ['        allow_responses: true'] : []),
    '      }',
    '    }',
  ];
  return lines.join('\n');
}

export function renderServerAuthorization(users: readonly NatsUser[], header: string): string {
  return `${header}\nauthorization {\n  users = [\n${users.map(userBlock).join('\n')}\n  ]\n}\n`;
}
