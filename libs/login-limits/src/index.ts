/**
 * @mail/login-limits — the limits the mailbox-reading services
 * (pop3-server, imap-server) share: the client network a login attempt or
 * a connection is counted under (IPv4 address, IPv6 /64), the Redis
 * throttle that refuses logins per user and per network once too many
 * failed, and the Redis slots that bound the connections one network holds
 * open across replicas; each protocol under its own key prefix.
 */
export { clientNetwork } from './client-network';
export { RedisLoginThrottle, throttleKeys, type LoginThrottle, type RedisLoginThrottleOptions, type ThrottleLimits, type ThrottleLog, type ThrottleVerdict } from './login-throttle';
export {
  CONNECTION_REFUSAL_REASONS,
  RedisConnectionSlots,
  SLOT_LIFETIME_MS,
  connectionSlotKey,
  unlimitedConnectionSlots,
  type ConnectionRefusal,
  type ConnectionSlot,
  type ConnectionSlots,
  type RedisConnectionSlotsOptions,
  type SlotAdmission,
  type SlotLog,
} from './connection-slots';
