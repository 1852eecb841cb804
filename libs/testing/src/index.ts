export { waitFor } from './wait-for';
export { freePort, serviceArguments, workspaceRoot, type ServiceProcess } from '@mail/launcher';
export {
  createTestDatabase,
  createTestNamespace,
  createTestRedisPrefix,
  testNatsUrl,
  testPostgresUrl,
  testRedisUrl,
  uniqueSuffix,
} from './isolation';
export { startServiceProcess } from './service-process';
export {
  startDnsServer,
  type DnsFailure,
  type DnsFixtureRecord,
  type DnsServerFixture,
  type DnsServerOptions,
  type DnsTable,
} from './dns-server';
export { startMailStack, serviceNames, type MailStack, type MailStackOptions, type ServiceName } from './mail-stack';
export { startSmtpSink, type SinkReplies, type SinkReply, type SinkTransaction, type SmtpSink, type SmtpSinkBehaviour, type SmtpSinkOptions } from './smtp-sink';
export { LineClient, type LineClientOptions, type LineSmtpReply } from './line-client';
export { playClient, startLoopbackSocketPairs, type ClientPlay, type LoopbackSocketPairs } from './loopback-socket-pairs';
export { describeWithTools, externalTools, ExternalToolMissingError, findBinary, missingTools, requireTools, runningUnderCi, type ExternalTool, type SkippableContext } from './external-tool';
