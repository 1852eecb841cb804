import { defineContentRule } from './content-rule';

/**
 * RFC 5322 §3.6.4: msg-id = "<" id-left "@" id-right ">" (with the obsolete
 * forms of §4.5.4 allowing comments and spaces around). A Message-ID
 * without brackets or without `@` was not written by a mail client.
 */
export default defineContentRule({
  name: 'INVALID_MSGID',
  score: 1,
  description: 'The Message-ID: field is not <left@right> (RFC 5322 §3.6.4).',
  test: (view) => {
    const field = view.header('message-id');
    if (field === undefined) return false;
    const id = field.replace(/\([^)]*\)/g, '').trim();
    return /^<[^<>@\s]+@[^<>@\s]+>$/.test(id) ? false : id.slice(0, 100);
  },
});
