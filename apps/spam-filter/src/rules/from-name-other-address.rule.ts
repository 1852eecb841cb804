import { domainOf } from '../content/message-content';
import { defineContentRule } from './content-rule';

const addressInName = /[a-z0-9._%+-]+@((?:[a-z0-9-]+\.)+[a-z]{2,24})/i;
/** Display names are short; a longer one is read this far (the pattern above is quadratic in what it reads). */
const maxName = 256;

/**
 * RFC 5322 §3.4: the display name is free text; one that reads as an
 * address of another domain (`"support@bank.example" <x@elsewhere.example>`)
 * makes the reader see a sender the message is not from (rspamd's
 * SPOOF_DISPLAY_NAME, SpamAssassin's FROM_ADDR_WS-like checks).
 */
export default defineContentRule({
  name: 'FROM_NAME_OTHER_ADDRESS',
  score: 0.5,
  description: 'The From: display name holds an address of another domain than the sender address.',
  test: (view) => {
    const from = view.from;
    const named = from === undefined ? undefined : addressInName.exec(from.name.slice(0, maxName))?.[1]?.toLowerCase();
    if (from === undefined || named === undefined) return false;
    return named !== domainOf(from.address) ? `${from.name} <${from.address}>`.slice(0, 200) : false;
  },
});
