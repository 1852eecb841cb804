import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitForTraining, isMbox, messageFiles, splitMbox } from './spam-message-files';

describe('splitMbox', () => {
  it('splits at From lines and undoes mboxrd quoting', () => {
    const mbox = Buffer.from('From a@x Mon Jan 1 00:00:00 2024\nSubject: one\n\n>From here on\n>>From deeper\n\nFrom b@y Mon Jan 1 00:00:01 2024\nSubject: two\n\nbody\n');
    expect(isMbox(mbox)).toBe(true);
    expect(splitMbox(mbox).map((m) => m.toString())).toEqual(['Subject: one\n\nFrom here on\n>From deeper\n', 'Subject: two\n\nbody\n']);
    expect(isMbox(Buffer.from('Subject: x\n\nFrom here\n'))).toBe(false);
  });
});

describe('fitForTraining', () => {
  it('cuts a long message after a line break below the limit, keeping its full size', () => {
    const raw = Buffer.from('Subject: x\r\n\r\n0123456789\r\n0123456789\r\n');
    expect(fitForTraining(raw, 1000)).toEqual({ raw });
    const fitted = fitForTraining(raw, 30);
    expect(fitted.raw.toString()).toBe('Subject: x\r\n\r\n0123456789\r\n');
    expect(fitted.truncatedFrom).toBe(raw.length);
  });
});

describe('messageFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mailctl-spam-'));
    await mkdir(join(dir, 'maildir', 'cur'), { recursive: true });
    await writeFile(join(dir, 'maildir', 'cur', '1.eml'), 'Subject: a\r\n\r\nA\r\n');
    await writeFile(join(dir, 'maildir', '.hidden'), 'Subject: hidden\r\n\r\nH\r\n');
    await writeFile(join(dir, 'box.mbox'), 'From x Mon Jan 1 00:00:00 2024\nSubject: b\n\nB\n\nFrom x Mon Jan 1 00:00:00 2024\nSubject: c\n\nC\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('walks directories and mboxes, naming each message’s source', async () => {
    const found: string[] = [];
    for await (const message of messageFiles([dir])) found.push(`${message.source.slice(dir.length + 1)}: ${message.raw.toString().split(/\r?\n/)[0]}`);
    expect(found).toEqual(['box.mbox#1: Subject: b', 'box.mbox#2: Subject: c', 'maildir/cur/1.eml: Subject: a']);
  });
});
