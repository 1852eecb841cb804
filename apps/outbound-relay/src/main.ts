/** outbound-relay's process: the shared life cycle around the definition in service.ts. */
import { runService } from '@mail/runtime';
import { outboundRelayService } from './service';

await runService(outboundRelayService);
