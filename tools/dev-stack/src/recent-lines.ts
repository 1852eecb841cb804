/** The last few lines a child printed, kept to explain a failure. */
export class RecentLines {
  private readonly lines: string[] = [];

  constructor(private readonly capacity: number) {}

  /** Remembers a line, forgetting the oldest when full. */
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.shift();
  }

  /** The remembered lines, oldest first. */
  list(): string[] {
    return [...this.lines];
  }
}
