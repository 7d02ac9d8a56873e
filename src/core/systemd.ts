/**
 * The engine's side of a systemd Type=notify unit: READY=1 once the engine serves,
 * STATUS= lines for `systemctl status`, STOPPING=1 on shutdown, and the watchdog.
 *
 * The watchdog pings (WATCHDOG=1) every WATCHDOG_USEC / 2 from a timer on the main
 * thread, and only while the engine's own health check passes. A stuck event loop stops
 * the timer; a failing health check withholds the ping; either way systemd kills and
 * restarts the unit after WatchdogSec — the point of having one.
 *
 * Datagrams go out through the native addon (Node has no unix datagram sockets). Outside
 * systemd (no NOTIFY_SOCKET) every call is a no-op.
 */
import type { VelozLogger } from './log/index.js';
import type { SdNotifyResult } from '../native/addon.js';
import { tryNative } from '../native/load-addon.js';

export interface SystemdNotifierOptions {
  /** The engine's health: the watchdog pings only while this returns true. */
  healthy?: () => boolean;
  log?: VelozLogger;
}

const MAX_STATUS_CHARS = 480;

/** One line of STATUS text: no newlines (they would start a new assignment), bounded length. */
export function statusLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, MAX_STATUS_CHARS);
}

export class SystemdNotifier {
  /** NOTIFY_SOCKET is set: we run under systemd with Type=notify. */
  readonly enabled: boolean;
  /** The watchdog period systemd expects, µs; 0 = none. */
  readonly watchdogUsec: number;
  pings = 0;
  /** Watchdog ticks where the health check failed and no ping was sent. */
  withheld = 0;
  failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private wasHealthy = true;
  private lastErrno = -1;
  private readonly healthy: () => boolean;

  constructor(private readonly o: SystemdNotifierOptions = {}) {
    this.healthy = o.healthy ?? (() => true);
    const socket = process.env['NOTIFY_SOCKET'];
    this.enabled = socket !== undefined && socket !== '';
    const addon = tryNative().addon;
    this.watchdogUsec = this.enabled && addon ? addon.watchdogUsec() : 0;
    if (this.enabled && !addon) {
      o.log?.warn('NOTIFY_SOCKET is set but the native addon is unavailable: systemd will not hear READY=1 (run `npm run build`)');
    }
  }

  /** READY=1 with our pid (systemd then knows the main process for NotifyAccess=main). */
  ready(status?: string): SdNotifyResult {
    const lines = ['READY=1'];
    if (status !== undefined) lines.push(`STATUS=${statusLine(status)}`);
    lines.push(`MAINPID=${process.pid}`);
    return this.send(lines.join('\n'));
  }

  status(text: string): SdNotifyResult {
    return this.send(`STATUS=${statusLine(text)}`);
  }

  stopping(status?: string): SdNotifyResult {
    this.stopWatchdog();
    return this.send(status === undefined ? 'STOPPING=1' : `STOPPING=1\nSTATUS=${statusLine(status)}`);
  }

  /** Asks for more start/stop time (e.g. WAL replay, embedded PostgreSQL start). */
  extendTimeout(usec: number): SdNotifyResult {
    if (!(Number.isSafeInteger(usec) && usec > 0)) throw new RangeError(`extendTimeout needs a positive integer of µs, got ${usec}`);
    return this.send(`EXTEND_TIMEOUT_USEC=${usec}`);
  }

  /** Starts pinging at half the watchdog period; false when systemd set no watchdog. */
  startWatchdog(): boolean {
    if (this.timer || this.watchdogUsec === 0) return this.timer !== null;
    const everyMs = Math.max(1, Math.floor(this.watchdogUsec / 2000));
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
    this.tick();
    return true;
  }

  stopWatchdog(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    let ok: boolean;
    try {
      ok = this.healthy();
    } catch {
      ok = false;
    }
    if (ok !== this.wasHealthy) {
      this.wasHealthy = ok;
      if (ok) this.o.log?.info('health check passes again: watchdog pings resume');
      else this.o.log?.warn('health check failing: withholding watchdog pings (systemd restarts the unit after WatchdogSec)');
    }
    if (!ok) {
      this.withheld++;
      return;
    }
    if (this.send('WATCHDOG=1').ok) this.pings++;
  }

  private send(state: string): SdNotifyResult {
    if (!this.enabled) return { ok: false, errno: 0, message: 'NOTIFY_SOCKET is not set' };
    const addon = tryNative().addon;
    if (!addon) return { ok: false, errno: 0, message: 'native addon unavailable' };
    const r = addon.sdNotify(state);
    if (!r.ok) {
      this.failures++;
      // One line per distinct failure, not one per watchdog tick.
      if (r.errno !== this.lastErrno) this.o.log?.warn({ errno: r.errno }, r.message);
      this.lastErrno = r.errno;
    } else {
      this.lastErrno = -1;
    }
    return r;
  }
}
