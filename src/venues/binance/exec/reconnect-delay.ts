/**
 * Reconnect delays: exponential from `initialMs` to `maxMs`, each drawn uniformly from
 * [delay/2, delay] so a fleet of clients cut off together does not reconnect in step.
 */
export class ReconnectDelay {
  private attempt = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
