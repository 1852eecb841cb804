/** pop3-server's process: the shared life cycle around the definition in service.ts. */
import { runService } from '@mail/runtime';
import { pop3ServerService } from './service';

await runService(pop3ServerService);
