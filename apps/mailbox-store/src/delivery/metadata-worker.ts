/** Worker-thread entry of the metadata parse (see metadata-parser.ts). */
import { serveWorkerTask } from '@mail/runtime';
import { parseHeaderSection } from './message-metadata';

serveWorkerTask((section: Uint8Array) => parseHeaderSection(Buffer.from(section.buffer, section.byteOffset, section.byteLength)));
