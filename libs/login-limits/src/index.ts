/**
 * @mail/login-limits — the failed-login limits the mailbox-reading services
 * (pop3-server, imap-server) share: the client network a login attempt is
 * counted under (IPv4 address, IPv6 /64) and the Redis throttle that refuses
 * logins per user and per network once too many failed, each protocol under
 * its own key prefix.
 */
export { clientNetwork } from './client-network';
export { RedisLoginThrottle, throttleKeys, type LoginThrottle, type RedisLoginThrottleOptions, type ThrottleLimits, type ThrottleLog, type ThrottleVerdict } from './login-throttle';
