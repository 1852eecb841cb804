import { describe, expect, it } from 'vitest';
import { lacksHeaderSection, messageIdHeaderOf } from './message-id-header';

const chunks = (...parts: string[]) => parts.map((p) => new TextEncoder().encode(p));

describe('messageIdHeaderOf', () => {
  it('finds the field in any case, across chunks and folded lines', () => {
    expect(messageIdHeaderOf(chunks('Subject: x\r\nMessage-', 'ID: <a.b@crepes.fr>\r\n\r\nbody'))).toBe('<a.b@crepes.fr>');
    expect(messageIdHeaderOf(chunks('message-id:\r\n <folded@x>\r\n\r\n'))).toBe('<folded@x>');
  });
  it('ignores a Message-ID: line in the body and a message without one', () => {
    expect(messageIdHeaderOf(chunks('Subject: x\r\n\r\nMessage-ID: <in-body@x>\r\n'))).toBeUndefined();
    expect(messageIdHeaderOf(chunks('just text'))).toBeUndefined();
  });
});

describe('lacksHeaderSection', () => {
  it('is true for a body that starts with text (the seed dialogue)', () => {
    expect(lacksHeaderSection([Buffer.from('Do you like ketchup?\r\nHow about pickles?\r\n')])).toBe(true);
  });

  it('is false for a body with header fields or an empty header section', () => {
    expect(lacksHeaderSection([Buffer.from('Subj'), Buffer.from('ect: hi\r\n\r\nbody\r\n')])).toBe(false);
    expect(lacksHeaderSection([Buffer.from('\r\nbody only\r\n')])).toBe(false);
    expect(lacksHeaderSection([])).toBe(false);
  });
});
