import { describe, expect, it } from 'vitest';
import { box, exportLines, nextCommands, summaryLines } from './banner';
import { painter } from './colour';
import { nats } from './infrastructure/nats';
import { postgres } from './infrastructure/postgres';
import type { Endpoint } from './infrastructure/provide';
import { redis } from './infrastructure/redis';
import { serviceCatalog } from '@mail/service-catalog';

const endpoints = { host: '127.0.0.1', smtp: 2525, submission: 2587, pop3: 1110, imap: 1143 };

const running: Endpoint[] = [
  { kind: nats, url: 'nats://127.0.0.1:4222', started: false },
  { kind: postgres, url: 'postgres://postgres@127.0.0.1:5432/mail', started: false },
  { kind: redis, url: 'redis://127.0.0.1:6379', started: false },
];

describe('nextCommands', () => {
  it('suggests mailctl, swaks and curl against the configured ports', () => {
    expect(nextCommands(endpoints, running)).toEqual([
      'npx mailctl domain add example.test',
      'npx mailctl user add bob@example.test --password hungry',
      "swaks --server 127.0.0.1:2525 --from alice@example.org --to bob@example.test --header 'Subject: hello'",
      'curl pop3://127.0.0.1:1110/1 --user bob@example.test:hungry',
      "curl 'imap://127.0.0.1:1143/INBOX;UID=1' --user bob@example.test:hungry",
    ]);
  });
});

describe('exportLines', () => {
  it('exports only servers started here on a non-default URL', () => {
    const started: Endpoint[] = [
      { kind: nats, url: 'nats://127.0.0.1:38001', started: true },
      { kind: postgres, url: 'postgres://postgres@127.0.0.1:5432/mail', started: true },
      { kind: redis, url: 'redis://10.0.0.9:6379', started: false },
    ];
    expect(exportLines(started)).toEqual(['export NATS_URL=nats://127.0.0.1:38001']);
    expect(nextCommands(endpoints, started)[0]).toBe('export NATS_URL=nats://127.0.0.1:38001');
  });
});

describe('summaryLines', () => {
  it('lists mail ports, ops URLs, infrastructure and data folder', () => {
    const text = summaryLines(
      {
        title: 'ready',
        endpoints,
        services: serviceCatalog,
        infrastructure: running,
        tls: { certFile: '/w/.data/tls/cert.pem', keyFile: '/w/.data/tls/key.pem' },
        dataRoot: '/w/.data',
        next: ['npx mailctl domain add example.test'],
        keepsRunning: true,
      },
      painter(false),
    ).join('\n');
    expect(text).toContain('SMTP            127.0.0.1:2525');
    expect(text).toContain('Submission      127.0.0.1:2587');
    expect(text).toContain('POP3            127.0.0.1:1110');
    expect(text).toContain('IMAP            127.0.0.1:1143');
    expect(text).toContain('outbound-relay  http://127.0.0.1:9105');
    expect(text).toContain('PostgreSQL      postgres://postgres@127.0.0.1:5432/mail (already running)');
    expect(text).toContain('Data            /w/.data');
    expect(text).toContain('Ctrl-C stops everything');
  });
});

describe('box', () => {
  it('pads every line to the widest, ignoring colour codes', () => {
    const coloured = painter(true)('ab', 'red');
    expect(box(['a', coloured]).split('\n')).toEqual(['╭────╮', '│ a  │', `│ ${coloured} │`, '╰────╯']);
  });
});
