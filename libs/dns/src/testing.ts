/**
 * @mail/dns/testing — fakes for unit tests of code that depends on
 * DnsResolver. Integration tests use the real dns2 server from @mail/testing.
 */
export { FakeResolver, type FakeRecordData } from './fake-resolver';
