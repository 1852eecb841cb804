/** The shape of a request handler for one definition of the catalog. */
import type { RequestDefinition, RequestPayload, ResponsePayload } from '@mail/contracts';

export type RequestHandler<D extends RequestDefinition> = (request: RequestPayload<D>) => Promise<ResponsePayload<D>>;
