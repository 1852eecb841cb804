/**
 * `mailctl dkim generate|show|list|remove`: the DKIM signing keys of our
 * domains (RFC 6376). The relay generates and keeps the keys (the private
 * key never reaches mailctl) and answers with the public key as the DNS TXT
 * record to publish, printed in zone-file form.
 */
import type { DkimKeyInfo, DkimRequest, DkimResponse } from '@mail/contracts';
import { DkimSelector } from '@mail/contracts';
import { domainProblem } from './input-validation';

export const dkimUsage = `Usage: mailctl dkim <generate|show|list|remove> [domain] [options]

  dkim generate <domain> [--selector <s>] [--replace]
                           create a signing key; prints the DNS TXT record to publish
                           (selector default: s<yyyymmdd>; --replace swaps an existing key)
  dkim show <domain>       print the domain's DNS record again
  dkim list                domains with a key
  dkim remove <domain>     stop signing mail of the domain
`;

export interface DkimOptions {
  readonly selector?: string;
  readonly replace?: boolean;
}

export type DkimInvocation = { readonly kind: 'help'; readonly text: string } | { readonly kind: 'invalid'; readonly message: string } | { readonly kind: 'run'; readonly request: DkimRequest };

export function parseDkimCommand(args: readonly string[], options: DkimOptions, help: boolean): DkimInvocation {
  const [action, domain, ...extra] = args;
  if (help || action === undefined) return help ? { kind: 'help', text: dkimUsage } : { kind: 'invalid', message: 'missing dkim command (see mailctl dkim --help)' };
  const hint = ' (see mailctl dkim --help)';
  const invalid = (message: string): DkimInvocation => ({ kind: 'invalid', message });
  if (extra.length > 0) return invalid(`unexpected argument ${JSON.stringify(extra[0])}${hint}`);
  if (action !== 'generate' && (options.selector !== undefined || options.replace)) return invalid(`dkim ${action} takes no --selector or --replace${hint}`);
  if (action === 'list') return domain === undefined ? { kind: 'run', request: { version: 1, op: 'list' } } : invalid(`unexpected argument ${JSON.stringify(domain)}${hint}`);
  if (action !== 'generate' && action !== 'show' && action !== 'remove') return invalid(`unknown command ${JSON.stringify(`dkim ${action}`)}${hint}`);
  if (domain === undefined) return invalid(`missing <domain>${hint}`);
  const problem = domainProblem(domain);
  if (problem) return invalid(problem);
  if (action !== 'generate') return { kind: 'run', request: { version: 1, op: action, domain } };
  if (options.selector !== undefined && !DkimSelector.safeParse(options.selector).success) return invalid(`invalid selector ${JSON.stringify(options.selector)}: expected DNS labels such as mail2025`);
  return {
    kind: 'run',
    request: { version: 1, op: 'generate', domain, ...(options.selector !== undefined ? { selector: options.selector } : {}), ...(options.replace ? { replace: true } : {}) },
  };
}

/** RFC 1035 §3.3.14 / RFC 6376 §3.6.2.2: a TXT string holds 255 octets; longer text goes as several strings. */
export function zoneRecord(key: Pick<DkimKeyInfo, 'dnsName' | 'dnsValue'>): string {
  const strings = key.dnsValue.match(/.{1,255}/g) ?? [''];
  return `${key.dnsName} TXT ${strings.map((s) => `"${s}"`).join(' ')}`;
}

export function renderDkimResponse(request: DkimRequest, response: DkimResponse): string {
  if (request.op === 'list') {
    if (response.keys.length === 0) return 'No domain has a DKIM key.\n';
    return `${response.keys.map((k) => `${k.domain}  selector ${k.selector}  ${k.algorithm}  created ${k.createdAt}`).join('\n')}\n`;
  }
  if (request.op === 'remove') return `${response.message ?? 'removed'}\n`;
  const lines = response.keys.map(zoneRecord);
  if (response.message) lines.push(`; ${response.message}`);
  return `${lines.join('\n')}\n`;
}
