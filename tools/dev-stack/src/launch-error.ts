/**
 * A reason the stack cannot start, worded for the person at the terminal,
 * with the last output of the program that failed when there is one.
 */

/** Output of the program that failed, printed under its label. */
export interface FailedOutput {
  label: string;
  lines: readonly string[];
}

export class LaunchError extends Error {
  override name = 'LaunchError';

  constructor(
    message: string,
    /** What the failing program printed last. */
    readonly output?: FailedOutput,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A one-line reason from anything thrown: the message (with its cause), else the error code
 * (Node's connection errors to `localhost` are AggregateErrors with an empty
 * message), else the first inner error.
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() says only "fetch failed"; the reason is in the cause.
  if (error.message !== '' && error.cause !== undefined) return `${error.message} (${errorText(error.cause)})`;
  if (error.message !== '') return error.message;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  if (error instanceof AggregateError && error.errors.length > 0) return errorText(error.errors[0]);
  return error.name;
}
