/** What the control server counts; served by `status`. */
export class ControlCounters {
  connections = 0;
  refusedConnections = 0;
  /** Lines read (each got one reply). */
  lines = 0;
  /** Requests that reached a handler. */
  requests = 0;
  handlerErrors = 0;
  timeouts = 0;
  slowClients = 0;
  socketErrors = 0;
  readonly errors: Record<string, number> = {};

  countError(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}
