/** smtp-ingress's process: the shared life cycle around the definition in service.ts. */
import { runService } from '@mail/runtime';
import { smtpIngressService } from './service';

await runService(smtpIngressService);
