/**
 * Runs `task` every `intervalMs`, never two at once (a slow run makes the next tick skip), and
 * stops cleanly: `stop()` waits for the run in progress. Failures are reported, not thrown.
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly task: () => Promise<unknown>,
    private readonly onError: (err: Error) => void,
  ) {}

  every(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .catch((err: Error) => this.onError(err))
        .finally(() => (this.running = undefined));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
