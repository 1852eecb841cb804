/**
 * `npm run chaos`: the crash matrix at full size. Prints the figures per
 * fault and exits 1 when any message was lost, duplicated or leaked (or
 * the queues did not drain, or a service died without being killed), 2 on a usage error.
 */
import { runCrashMatrix } from './crash-matrix';
import { parseOptions, UsageError } from './options';
import { formatTable } from './report-table';
import { kept } from './tally';

const log = (line: string) => console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);

try {
  const options = parseOptions(process.argv.slice(2));
  log(`${options.messages} messages, ${options.clients} clients, ${options.downMs} ms down per fault`);
  const result = await runCrashMatrix({ ...options, log });
  console.log(formatTable(result.rows));
  console.log(`POP3 reader sessions: ${result.pop3Sessions.completed} completed, ${result.pop3Sessions.failed} interrupted`);
  console.log(`Service logs: ${result.logDir}`);
  for (const exit of result.unexpectedExits) console.log(`Crashed by itself: ${exit}`);
  const ok = kept(result.rows) && result.drained && result.unexpectedExits.length === 0;
  const why = [result.drained ? '' : 'queues did not drain', result.unexpectedExits.length > 0 ? 'a service crashed by itself' : ''].filter(Boolean);
  console.log(ok ? 'OK: nothing lost, nothing duplicated.' : `FAILED${why.length > 0 ? ` (${why.join('; ')})` : ''}`);
  process.exit(ok ? 0 : 1);
} catch (error) {
  console.error(error instanceof UsageError ? `chaos: ${error.message}` : error);
  process.exit(error instanceof UsageError ? 2 : 1);
}
