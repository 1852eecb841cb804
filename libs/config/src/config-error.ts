/** A configuration value is missing or malformed; the message names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly variable: string,
    readonly expected: string,
    readonly got: string | undefined,
  ) {
    super(got === undefined ? `${variable} is required: expected ${expected}` : `${variable} must be ${expected}, got ${JSON.stringify(got)}`);
  }
}
