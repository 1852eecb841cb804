/**
 * @mail/config — typed configuration from the environment.
 *
 * Every service declares its configuration once as an object of readers
 * (`port('SMTP_PORT', 2525)`, `url('NATS_URL', ...)`), parsed at start-up.
 * A bad or missing value stops the process with one line naming the
 * variable and the expected form.
 */
export { ConfigError } from './config-error';
export { bool, duration, enumOf, hostPortList, int, list, optionalPort, optionalString, port, string, url, type Reader } from './readers';
export { loadConfig, readConfig, type ConfigShape, type ParsedConfig } from './load-config';
export { commonConfig, type CommonConfig } from './common';
