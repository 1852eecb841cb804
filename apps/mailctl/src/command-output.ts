/** What a mailctl command prints, and the exit status it returns with it. */

/** Writes `text` to stdout; exit status 0. */
export function print(text: string): number {
  process.stdout.write(text);
  return 0;
}

/** Writes `mailctl: <message>` to stderr; returns `status`. */
export function fail(message: string, status: number): number {
  process.stderr.write(`mailctl: ${message}\n`);
  return status;
}
