/** spam-filter's process: the shared life cycle around the definition in service.ts. */
import { runService } from '@mail/runtime';
import { spamFilterService } from './service';

await runService(spamFilterService);
