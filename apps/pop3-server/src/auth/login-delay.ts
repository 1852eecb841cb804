/**
 * LOGIN-DELAY (RFC 2449 §6.5, §8.1.1): the least time between two logins of
 * the same user, announced in CAPA and enforced across replicas with one
 * Redis key per user (SET NX PX): a login within the delay is refused with
 * `-ERR [LOGIN-DELAY]`. Off (0) by default.
 */
import type { Redis } from 'ioredis';
import { Pop3ResponseCode, Pop3ResponseError } from '@mail/pop3';

/** Admits logins at most once per delay. */
export interface LoginDelay {
  /** Seconds announced in CAPA; 0 when there is no delay. */
  readonly seconds: number;
  /**
   * Records a login of `user` now; false when the previous one was less than
   * the delay ago.
   * @throws Pop3ResponseError [SYS/TEMP] when Redis cannot be reached.
   */
  admit(user: string): Promise<boolean>;
}

/** No delay: every login is admitted. */
export const noLoginDelay: LoginDelay = { seconds: 0, admit: async () => true };

export class RedisLoginDelay implements LoginDelay {
  constructor(
    private readonly redis: Redis,
    readonly seconds: number,
  ) {}

  async admit(user: string): Promise<boolean> {
    try {
      return (await this.redis.set(`pop3:last-login:${user.toLowerCase()}`, '1', 'PX', this.seconds * 1000, 'NX')) === 'OK';
    } catch (cause) {
      throw new Pop3ResponseError('cannot check logins right now, try again later', { responseCode: Pop3ResponseCode.SysTemp, cause });
    }
  }
}

/** RFC 2449 §8.1.1: the refusal of a login that came too soon. */
export function loginTooSoon(seconds: number): Pop3ResponseError {
  return new Pop3ResponseError(`logins are allowed once every ${seconds} seconds`, { responseCode: Pop3ResponseCode.LoginDelay });
}
