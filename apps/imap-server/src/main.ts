/** imap-server's process: the shared life cycle around the definition in service.ts. */
import { runService } from '@mail/runtime';
import { imapServerService } from './service';

await runService(imapServerService);
