import type { CloseReason } from './connection.js';

/** Counters behind GET /sim/stats: messages per stream and connection churn. */
export class PublisherStats {
  private readonly byStream = new Map<string, number>();
  messages = 0;
  open = 0;
  opened = 0;
  private readonly closes: Partial<Record<CloseReason, number>> = {};

  sent(stream: string, n: number): void {
    if (n === 0) return;
    this.byStream.set(stream, (this.byStream.get(stream) ?? 0) + n);
    this.messages += n;
  }

  connectionOpened(): void {
    this.open++;
    this.opened++;
  }

  connectionClosed(reason: CloseReason): void {
    this.open--;
    this.closes[reason] = (this.closes[reason] ?? 0) + 1;
  }

  snapshot(): { messages: number; messagesByStream: Record<string, number>; connections: { open: number; opened: number; closed: Partial<Record<CloseReason, number>> } } {
    return {
      messages: this.messages,
      messagesByStream: Object.fromEntries(this.byStream),
      connections: { open: this.open, opened: this.opened, closed: { ...this.closes } },
    };
  }
}
