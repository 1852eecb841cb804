import { defineContentRule } from './content-rule';

/** RFC 5322 §3.6.4: every message SHOULD have a Message-ID: field; every mail client and list manager writes one. */
export default defineContentRule({
  name: 'MISSING_MID',
  score: 0.5,
  description: 'No Message-ID: field (RFC 5322 §3.6.4 says every message should have one).',
  test: (view) => view.header('message-id') === undefined,
});
