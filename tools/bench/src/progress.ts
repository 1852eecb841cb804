/**
 * Progress lines while the bench runs, on stderr (stdout carries the final
 * table), each prefixed with the seconds since start.
 */
const started = Date.now();

export function progress(message: string): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${seconds}s] ${message}\n`);
}

/** Reports `done` of `total` at most once per `everyMs`, and always at the end. */
export function progressCounter(label: string, total: number, everyMs = 2000): (done: number) => void {
  let last = 0;
  return (done) => {
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    progress(`${label}: ${done}/${total}`);
  };
}
