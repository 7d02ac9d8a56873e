/**
 * A minimal WebSocket client over a raw TCP socket: the RFC 6455 handshake, masked text
 * frames out, unmasked frames in. Small enough to hold thousands per process (the push
 * benchmark), and able to stop reading altogether (pause) so a test can play a client
 * whose receive window is full — something a full client library hides.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawWsOptions {
  host?: string;
  path?: string;
  headers?: Record<string, string>;
  /** Decode and keep text payloads (tests); off = only count frames and bytes (benchmarks). */
  keepPayloads?: boolean;
  /** Called per text frame with its payload (only when keepPayloads is on). */
  onText?: (text: string) => void;
}

export class RawWsClient {
  frames = 0;
  payloadBytes = 0;
  closed = false;
  readonly texts: string[] = [];
  private buf: Buffer = Buffer.alloc(0);

  private constructor(
    readonly socket: Socket,
    private readonly o: RawWsOptions,
  ) {}

  static connect(port: number, o: RawWsOptions = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: o.host ?? '127.0.0.1', noDelay: true });
      const key = randomBytes(16).toString('base64');
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error('websocket handshake timed out'));
      }, 10_000);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      socket.once('connect', () => {
        const extra = Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
        socket.write(
          `GET ${o.path ?? '/ws'} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
        );
      });
      const onData = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        clearTimeout(timer);
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 101/.test(status)) {
          socket.destroy();
          reject(new Error(`websocket upgrade refused: ${status}`));
          return;
        }
        const client = new RawWsClient(socket, o);
        socket.on('data', (d: Buffer) => client.onData(d));
        socket.on('close', () => (client.closed = true));
        socket.on('error', () => (client.closed = true));
        const rest = head.subarray(end + 4);
        if (rest.length > 0) client.onData(rest);
        resolve(client);
      };
      socket.on('data', onData);
    });
  }

  /** Sends one masked text frame (client frames must be masked). */
  sendText(text: string): void {
    const payload = Buffer.from(text, 'utf8');
    const n = payload.length;
    const header = n < 126 ? Buffer.from([0x81, 0x80 | n]) : Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff]);
    if (n > 0xffff) throw new RangeError('raw ws client frames are limited to 64 KiB');
    const mask = randomBytes(4);
    const masked = Buffer.allocUnsafe(n);
    for (let i = 0; i < n; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  /** Stops reading from the socket: the kernel receive buffer fills and the server must buffer or drop. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  destroy(): void {
    this.socket.destroy();
    this.closed = true;
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    let at = 0;
    const b = this.buf;
    for (;;) {
      if (b.length - at < 2) break;
      const opcode = b[at]! & 0x0f;
      let len = b[at + 1]! & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (b.length - at < 4) break;
        len = b.readUInt16BE(at + 2);
        hdr = 4;
      } else if (len === 127) {
        if (b.length - at < 10) break;
        len = Number(b.readBigUInt64BE(at + 2));
        hdr = 10;
      }
      if (b.length - at < hdr + len) break;
      if (opcode === 0x1 || opcode === 0x2) {
        this.frames++;
        this.payloadBytes += len;
        if (this.o.keepPayloads) {
          const text = b.toString('utf8', at + hdr, at + hdr + len);
          this.texts.push(text);
          this.o.onText?.(text);
        }
      } else if (opcode === 0x9) {
        // Ping: answer with a masked pong carrying the same payload.
        const payload = b.subarray(at + hdr, at + hdr + len);
        const mask = randomBytes(4);
        const out = Buffer.alloc(6 + len);
        out[0] = 0x8a;
        out[1] = 0x80 | len;
        mask.copy(out, 2);
        for (let i = 0; i < len; i++) out[6 + i] = payload[i]! ^ mask[i & 3]!;
        this.socket.write(out);
      } else if (opcode === 0x8) {
        this.closed = true;
      }
      at += hdr + len;
    }
    this.buf = at === b.length ? Buffer.alloc(0) : b.subarray(at);
  }
}
