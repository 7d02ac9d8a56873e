import type { CloseReason } from './connection.js';

/**
 * Connection churn and messages sent outside the live streams (replay) for GET
 * /sim/stats; live per-stream counts live on each stream (StreamOut.sent).
 */
export class PublisherStats {
  private readonly extra = new Map<string, number>();
  open = 0;
  opened = 0;
  private readonly closes: Partial<Record<CloseReason, number>> = {};

  sentExtra(stream: string, n: number): void {
    if (n > 0) this.extra.set(stream, (this.extra.get(stream) ?? 0) + n);
  }

  extraByStream(): Record<string, number> {
    return Object.fromEntries(this.extra);
  }

  connectionOpened(): void {
    this.open++;
    this.opened++;
  }

  connectionClosed(reason: CloseReason): void {
    this.open--;
    this.closes[reason] = (this.closes[reason] ?? 0) + 1;
  }

  connections(): { open: number; opened: number; closed: Partial<Record<CloseReason, number>> } {
    return { open: this.open, opened: this.opened, closed: { ...this.closes } };
  }
}
