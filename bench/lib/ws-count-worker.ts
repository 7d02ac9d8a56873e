/**
 * A WebSocket reader in its own thread that counts the frames it receives, for throughput
 * benchmarks of WebSocket servers: the server under test keeps the main thread, the
 * reader gets the other core. The count is published in a shared Int32Array[0]
 * (frames) and [1] (1 once open, -1 on close).
 *
 * mode 'ws' (default): a `ws` client, what applications use.
 * mode 'raw': a TCP socket that does the upgrade handshake and then only walks frame
 * headers, so the count shows what the server can send rather than what `ws` can parse.
 */
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

const { url, counter, mode } = workerData as { url: string; counter: SharedArrayBuffer; mode?: 'ws' | 'raw' };
const view = new Int32Array(counter);
let n = 0;

function publish(): void {
  Atomics.store(view, 0, n);
}

if (mode === 'raw') {
  const u = new URL(url);
  const sock = connect(Number(u.port), u.hostname);
  let upgraded = false;
  let head = '';
  let pending = 0;
  let carry: Buffer | null = null;
  sock.on('connect', () => {
    sock.write(
      `GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
  sock.on('data', (chunk: Buffer) => {
    let buf = chunk;
    if (!upgraded) {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.startsWith('HTTP/1.1 101')) throw new Error(`upgrade refused: ${head.slice(0, 80)}`);
      upgraded = true;
      Atomics.store(view, 1, 1);
      buf = Buffer.from(head.slice(end + 4), 'latin1');
    }
    if (carry) {
      buf = Buffer.concat([carry, buf]);
      carry = null;
    }
    let i = 0;
    if (pending > 0) {
      i = Math.min(pending, buf.length);
      pending -= i;
    }
    while (i < buf.length) {
      if (buf.length - i < 2) {
        carry = buf.subarray(i);
        break;
      }
      const opcode = (buf[i] as number) & 0x0f;
      const b1 = (buf[i + 1] as number) & 0x7f;
      let hl = 2;
      let len = b1;
      if (b1 === 126) {
        if (buf.length - i < 4) {
          carry = buf.subarray(i);
          break;
        }
        len = buf.readUInt16BE(i + 2);
        hl = 4;
      } else if (b1 === 127) {
        if (buf.length - i < 10) {
          carry = buf.subarray(i);
          break;
        }
        len = Number(buf.readBigUInt64BE(i + 2));
        hl = 10;
      }
      if (opcode === 1 || opcode === 2) n++;
      const end = i + hl + len;
      if (end > buf.length) {
        pending = end - buf.length;
        break;
      }
      i = end;
    }
    publish();
  });
  sock.on('close', () => {
    publish();
    Atomics.store(view, 1, -1);
  });
  sock.on('error', (err) => parentPort?.postMessage({ error: String(err) }));
  parentPort?.on('message', (m) => {
    if (m === 'close') sock.destroy();
  });
} else {
  const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1 << 20 });
  ws.on('open', () => Atomics.store(view, 1, 1));
  ws.on('message', () => {
    // Publishing every 64 frames keeps the shared-memory traffic off the hot path.
    if ((++n & 63) === 0) publish();
  });
  ws.on('close', () => {
    publish();
    Atomics.store(view, 1, -1);
  });
  ws.on('error', (err) => parentPort?.postMessage({ error: String(err) }));
  parentPort?.on('message', (m) => {
    if (m === 'close') ws.terminate();
  });
}
