import { describe, expect, it } from 'vitest';
import { ImapResponseReader, ImapResponseTooLongError, type ImapResponse } from './imap-response-reader';

const body = 'Subject: x\r\n\r\nA line {3}\r\n* 2 FETCH (fake)\r\nt1 OK not the end\r\n';
const stream = Buffer.from(
  [
    '* OK [CAPABILITY IMAP4rev2] ready\r\n',
    `* 1 FETCH (UID 7 BODY[] {${Buffer.byteLength(body)}}\r\n${body} FLAGS (\\Seen))\r\n`,
    '* 2 FETCH (ENVELOPE ("date" {5}\r\nsu\r\nb "x") BODY[] ~{0}\r\n)\r\n',
    '+ idling\r\n',
    't1 OK FETCH completed\r\n',
  ].join(''),
);

function readAll(chunks: readonly Buffer[]): ImapResponse[] {
  const responses: ImapResponse[] = [];
  const reader = new ImapResponseReader((response) => responses.push(response));
  for (const chunk of chunks) reader.push(chunk);
  expect(reader.idle).toBe(true);
  return responses;
}

describe('ImapResponseReader', () => {
  it('splits responses, skipping literals (even ones that look like responses) and keeping their announcement', () => {
    const responses = readAll([stream]);
    expect(responses.map((response) => response.text)).toEqual([
      '* OK [CAPABILITY IMAP4rev2] ready',
      `* 1 FETCH (UID 7 BODY[] {${Buffer.byteLength(body)}} FLAGS (\\Seen))`,
      '* 2 FETCH (ENVELOPE ("date" {5} "x") BODY[] ~{0})',
      '+ idling',
      't1 OK FETCH completed',
    ]);
    expect(responses.map((response) => response.literalOctets)).toEqual([0, Buffer.byteLength(body), 5, 0, 0]);
  });

  it('counts every octet of the stream once', () => {
    const responses = readAll([stream]);
    expect(responses.reduce((sum, response) => sum + response.octets, 0)).toBe(stream.length);
  });

  it('gives the same responses however the stream is cut', () => {
    const whole = readAll([stream]);
    for (let cut = 1; cut < stream.length; cut++) expect(readAll([stream.subarray(0, cut), stream.subarray(cut)])).toEqual(whole);
    expect(readAll([...stream].map((octet) => Buffer.from([octet])))).toEqual(whole);
  });

  it('takes a line ended by a bare LF', () => {
    expect(readAll([Buffer.from('* OK hi\nt1 OK done\r\n')]).map((response) => response.text)).toEqual(['* OK hi', 't1 OK done']);
  });

  it('waits for the end of a response before reporting it', () => {
    const responses: ImapResponse[] = [];
    const reader = new ImapResponseReader((response) => responses.push(response));
    reader.push(Buffer.from('* 1 FETCH (BODY[] {10}\r\n12345'));
    expect(responses).toEqual([]);
    expect(reader.idle).toBe(false);
    reader.push(Buffer.from('67890)\r\n'));
    expect(responses).toEqual([{ text: '* 1 FETCH (BODY[] {10})', literalOctets: 10, octets: 37 }]);
  });

  it('refuses a line longer than its bound', () => {
    const reader = new ImapResponseReader(() => undefined, 16);
    expect(() => reader.push(Buffer.from('* OK this line never ends'))).toThrow(ImapResponseTooLongError);
  });
});
