/**
 * Domains of large free mail providers, where anyone can open an address in
 * a minute: a Reply-To there, different from the sender's own domain, sends
 * the answers of a message somewhere its sender does not vouch for
 * (SpamAssassin's FreeMail plugin and rspamd's freemail map keep longer lists).
 */
const freemailDomains = new Set([
  'aol.com',
  'gmail.com',
  'googlemail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'icloud.com',
  'inbox.ru',
  'juno.com',
  'list.ru',
  'live.com',
  'mail.com',
  'mail.ru',
  'me.com',
  'msn.com',
  'outlook.com',
  'proton.me',
  'protonmail.com',
  'qq.com',
  'rediffmail.com',
  'rocketmail.com',
  'web.de',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yandex.com',
  'yandex.ru',
  'ymail.com',
  '163.com',
  '126.com',
  'sina.com',
  'excite.com',
  'lycos.com',
  'netscape.net',
  'usa.net',
  'email.com',
  'zoho.com',
]);

/** Whether the domain (lower case) is a free mail provider's. */
export function isFreemailDomain(domain: string): boolean {
  return freemailDomains.has(domain);
}
