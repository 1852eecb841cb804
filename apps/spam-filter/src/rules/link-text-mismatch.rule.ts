import { registeredDomain } from '../content/registered-domain';
import { defineContentRule } from './content-rule';
import { urlHost } from './link-hosts';

/** Link text that is itself a web address: `https://bank.example/login`, `www.bank.example` (a bare `Shop.example` is often a brand name). */
const addressText = /^(?:https?:\/\/|(?=www\.))((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})(?::\d+)?(?:[/?#]\S*)?$/i;

/**
 * A link whose visible text is a web address of one domain while the link
 * goes to another: the reader trusts what they see (phishing; rspamd's
 * PHISHING symbol). Tracking redirects of newsletters do the same, so the
 * rule stays small; a link to the shown domain's own subdomain is fine.
 */
export default defineContentRule({
  name: 'HTML_LINK_TEXT_MISMATCH',
  score: 0.8,
  description: 'An HTML link shows the address of one domain as its text and leads to another domain.',
  test: (view) => {
    for (const link of view.htmlLinks) {
      // A web address shown as text is short; the pattern's nested labels would take long over a long text.
      const shown = link.text.length > 300 ? undefined : addressText.exec(link.text)?.[1];
      const target = urlHost(link.href);
      if (shown === undefined || target === undefined) continue;
      const [shownDomain, targetDomain] = [registeredDomain(shown), registeredDomain(target)];
      if (shownDomain !== undefined && shownDomain !== targetDomain) return `shows ${shown}, leads to ${target}`.slice(0, 200);
    }
    return false;
  },
});
