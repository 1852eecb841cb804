/**
 * --compare's Postfix + rspamd: what a Postfix user runs to do the checks
 * the platform does (issue 15's fair peer for the whole inbound pipeline).
 * A dns2 server with the bench's sender records and DNSBL zone
 * (bench-dns.ts), a private redis-server, a private rspamd (milter) and a
 * private Postfix handing every message to it, measured with the same load
 * as bare Postfix: accept and end-to-end rates, and the CPU per message of
 * Postfix, rspamd and its Redis.
 */
import type { BenchOptions } from '../bench-options';
import { addSenderDns } from '../bench-dns';
import { CpuMeter, processSubject } from '../cpu-meter';
import { clockTicksPerSecond } from '../process-cpu';
import { progress } from '../progress';
import { isExecutable } from '../smtp-source';
import { measurePostfixInbound, type PostfixInboundFigures } from './postfix-inbound';
import { startPostfix, type PostfixInstance } from './postfix-instance';
import { redisServerPath, startPrivateRedis, type PrivateRedis } from './private-redis';
import { rspamdPath, startRspamd, type RspamdInstance } from './rspamd-instance';
import { stopTracked, track } from './running';
import { freePort, startDnsServer } from '@mail/testing';

export const postfixRspamdSystem = 'Postfix + rspamd';

/** undefined, with a note, when rspamd or redis-server is not installed or the run fails. */
export async function measurePostfixWithRspamd(options: BenchOptions, useSmtpSource: boolean, notes: string[]): Promise<PostfixInboundFigures | undefined> {
  if (!(await isExecutable(rspamdPath)) || !(await isExecutable(redisServerPath))) {
    notes.push('reference: rspamd or redis-server not installed (Debian packages rspamd, redis-server), no Postfix + rspamd figures');
    return undefined;
  }
  const dns = await startDnsServer();
  let redis: PrivateRedis | undefined;
  let rspamd: RspamdInstance | undefined;
  let postfix: PostfixInstance | undefined;
  try {
    addSenderDns(dns);
    redis = track(await startPrivateRedis());
    progress('reference: starting a private rspamd (the first start compiles its Hyperscan databases, a minute or two)');
    rspamd = track(await startRspamd(dns.address, redis.port));
    postfix = track(await startPostfix(await freePort(), undefined, rspamd.milterPort));
    const [started, redisPid, rspamdPid] = [postfix, redis.pid, rspamd.pid];
    const meter = new CpuMeter(
      [processSubject('Postfix', async () => [await started.masterPid()]), processSubject('rspamd', () => [rspamdPid]), processSubject("rspamd's Redis", () => [redisPid])],
      await clockTicksPerSecond(),
    );
    progress(`reference: private Postfix with rspamd as milter → virtual Maildir, ${options.messages} messages`);
    const figures = await measurePostfixInbound(postfix, meter, options, useSmtpSource, notes, postfixRspamdSystem);
    // milter_default_action = accept: a failing rspamd would let mail through unscanned, faster than it should
    const scanned = await rspamd.scanned();
    if (scanned < options.messages) notes.push(`reference: rspamd scanned only ${scanned} of the ${options.messages} messages Postfix delivered`);
    progress(`reference: Postfix + rspamd accepted ${figures.acceptRate.toFixed(0)} msg/s, delivered ${figures.endToEndRate.toFixed(0)} msg/s`);
    return figures;
  } catch (error) {
    notes.push(`reference: Postfix + rspamd: ${(error as Error).message.split('\n')[0]}`);
    return undefined;
  } finally {
    await stopTracked(postfix);
    await stopTracked(rspamd);
    await stopTracked(redis);
    await dns.close();
  }
}
