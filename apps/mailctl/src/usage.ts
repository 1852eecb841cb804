/** Usage texts of mailctl, one per level (`mailctl`, `mailctl domain`, `mailctl domain add`, ...). */
import { accountSettingUsage } from './account-setting-commands';
import { messageCommandsUsage } from './message-commands';
import { relayCommandsUsage } from './relay-commands';
import { spamCommandsUsage } from './spam-command-line';
import { traceCommandsUsage } from './trace-commands';

export const mainUsage = `Usage: mailctl <command> [options]

Administer the domains and users of the mail platform. mailctl talks to
mailbox-store, to outbound-relay for queue and dkim, and to spam-filter for
spam, over NATS (NATS_URL, NATS_NAMESPACE).

Commands:
  domain add <domain>                 receive mail for a domain
  domain remove <domain>              stop receiving mail for a domain (it must have no users)
  domain list                         list domains
  user add <address> --password <pw>  create a user with INBOX and Junk
  user passwd <address> --password <pw>
                                      change a user's password
  user remove <address>               delete a user and its messages
  user list [domain]                  list users
  user quota <address> <size|none>    limit what a user may hold (e.g. 10M, 1G)
  user apop <address> (--secret <s> | --clear)
                                      set or clear the user's APOP secret
  alias add <address> <target>[,<target>...]
                                      deliver an address (or @domain: catch-all) to users
  alias remove <address>              remove an alias
  alias list [domain]                 list aliases
${messageCommandsUsage}${relayCommandsUsage}${spamCommandsUsage}${traceCommandsUsage}
Options:
  -h, --help                          show help (also after any command)

Exit status: 0 done, 1 refused by the server or no server answered, 2 invalid usage or input.
`;

export const domainUsage = `Usage: mailctl domain <add|remove|list> [domain]

  domain add <domain>      receive mail for <domain> (a DNS name such as example.test)
  domain remove <domain>   stop; refused while the domain has users
  domain list              list domains with their number of users
`;

export const userUsage = `Usage: mailctl user <add|passwd|remove|list|quota|apop> ...

  user add <address> (--password <pw> | --password-stdin)
  user passwd <address> (--password <pw> | --password-stdin)
  user remove <address>
  user list [domain]
  user quota <address> <size|none>
  user apop <address> (--secret <s> | --secret-stdin | --clear)

Addresses are local@domain and compared case-insensitively; the domain must exist.
`;

const passwordOptions = `Options:
  --password <pw>     the password (visible to other local users in the process list)
  --password-stdin    read the password from standard input (one line)
`;

export const commandUsage: Record<string, string> = {
  'domain add': `Usage: mailctl domain add <domain>\n\nReceive mail for <domain>, a DNS name such as example.test.\n`,
  'domain remove': `Usage: mailctl domain remove <domain>\n\nStop receiving mail for <domain>. Refused while it has users: remove them first.\n`,
  'domain list': `Usage: mailctl domain list\n\nList domains with their number of users.\n`,
  'user add': `Usage: mailctl user add <address> (--password <pw> | --password-stdin)\n\nCreate a user with the folders INBOX and Junk. Its domain must exist.\n\n${passwordOptions}`,
  'user passwd': `Usage: mailctl user passwd <address> (--password <pw> | --password-stdin)\n\nChange a user's password.\n\n${passwordOptions}`,
  'user remove': `Usage: mailctl user remove <address>\n\nDelete a user, its folders and its messages.\n`,
  'user list': `Usage: mailctl user list [domain]\n\nList the users of one domain, or of all domains.\n`,
  ...accountSettingUsage,
};
