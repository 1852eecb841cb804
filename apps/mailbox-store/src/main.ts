/**
 * mailbox-store: accounts, mailboxes and stored messages in PostgreSQL.
 *
 *   node --import tsx apps/mailbox-store/src/main.ts           run the service (migrates first)
 *   node --import tsx apps/mailbox-store/src/main.ts migrate   apply migrations and exit
 */
import { runService } from '@mail/runtime';
import { mailboxStoreConfig } from './config';
import { runMigrateCommand } from './migrate-command';
import { startMailboxStore } from './service';

const command = process.argv[2];

if (command === 'migrate') {
  await runMigrateCommand();
} else if (command === undefined) {
  await runService({ name: 'mailbox-store', defaultHttpPort: 9103, config: mailboxStoreConfig, start: startMailboxStore });
} else {
  process.stderr.write(`mailbox-store: unknown command ${JSON.stringify(command)}; usage: main.ts [migrate]\n`);
  process.exit(2);
}
