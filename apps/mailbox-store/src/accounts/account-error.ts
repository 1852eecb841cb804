/** Refusals of account administration, each with a machine-readable code (the admin reply's `code`). */

export type AccountErrorCode =
  | 'invalid-address'
  | 'invalid-domain'
  | 'unknown-domain'
  | 'duplicate-domain'
  | 'domain-in-use'
  | 'unknown-user'
  | 'duplicate-user'
  | 'invalid-alias'
  | 'unknown-alias'
  | 'duplicate-alias'
  | 'address-in-use'
  | 'unknown-target'
  | 'apop-unavailable'
  | 'unknown-message';

/** An account operation refused for a reason the administrator can fix. */
export class AccountError extends Error {
  override name = 'AccountError';
  constructor(
    readonly code: AccountErrorCode,
    message: string,
  ) {
    super(message);
  }
}
