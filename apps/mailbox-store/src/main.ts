/**
 * mailbox-store's process: the shared life cycle around the definition in
 * service.ts, or the `migrate` command.
 *
 *   node --import tsx apps/mailbox-store/src/main.ts           run the service (migrates first)
 *   node --import tsx apps/mailbox-store/src/main.ts migrate   apply migrations and exit
 */
import { runService } from '@mail/runtime';
import { runMigrateCommand } from './migrate-command';
import { mailboxStoreService } from './service';

const command = process.argv[2];

if (command === 'migrate') {
  await runMigrateCommand();
} else if (command === undefined) {
  await runService(mailboxStoreService);
} else {
  process.stderr.write(`mailbox-store: unknown command ${JSON.stringify(command)}; usage: main.ts [migrate]\n`);
  process.exit(2);
}
