/** Typed errors of the bus. */

/**
 * Thrown by a consumer handler when retrying cannot help (the payload is
 * valid but can never be processed): the message goes to the dead-letter
 * subject at once instead of being redelivered.
 */
export class PermanentError extends Error {
  override name = 'PermanentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A request handler's refusal, carried back to the requester as `{ ok: false, code, message }`. */
export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request that got no valid answer: timeout, no responders, or an invalid reply. */
export class RequestFailedError extends Error {
  override name = 'RequestFailedError';
  constructor(
    readonly subject: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${subject}: ${message}`, options);
  }
}
