import { defineContentRule } from './content-rule';
import { isAddressHost } from './link-hosts';

/**
 * A link to a bare IP address (`http://192.0.2.7/`, RFC 3986 §3.2.2
 * IP-literal or IPv4address): real senders link to names; a host with no
 * name is a compromised machine or one that would not survive a domain
 * list (SpamAssassin's NUMERIC_HTTP_ADDR).
 */
export default defineContentRule({
  name: 'NUMERIC_HTTP_ADDR',
  score: 1.5,
  description: 'A link goes to an IP address instead of a host name.',
  test: (view) => view.linkHosts.find(isAddressHost) ?? false,
});
