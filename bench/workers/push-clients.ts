/**
 * Child process of bench/gateway-push: holds many push clients (raw WebSocket sockets
 * that count frames), in its own process so that its sockets do not share the gateway's
 * file-descriptor table. Commands over IPC:
 *   {cmd:'connect', port, token, count, batch}  → {connected, failed}
 *   {cmd:'stats'}                               → {frames, bytes, closed}
 *   {cmd:'close'}                               → exits
 */
import { RawWsClient } from '../lib/raw-ws-client.js';

const clients: RawWsClient[] = [];
const SUBSCRIBE = JSON.stringify({ op: 'subscribe', id: 1, channel: 'book', venue: 'sim', symbol: 'BTCUSDT', depth: 10 });

async function connectMany(port: number, token: string, count: number, batch: number): Promise<{ connected: number; failed: number; firstError: string | null }> {
  let failed = 0;
  let firstError: string | null = null;
  for (let done = 0; done < count; done += batch) {
    const n = Math.min(batch, count - done);
    const results = await Promise.allSettled(
      Array.from({ length: n }, () => RawWsClient.connect(port, { headers: { Authorization: `Bearer ${token}` } })),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') {
        r.value.sendText(SUBSCRIBE);
        clients.push(r.value);
      } else {
        failed++;
        firstError ??= String(r.reason);
      }
    }
  }
  return { connected: clients.length, failed, firstError };
}

process.on('message', (m: { cmd: string; port?: number; token?: string; count?: number; batch?: number }) => {
  if (m.cmd === 'connect') {
    void connectMany(m.port!, m.token!, m.count!, m.batch ?? 200).then((r) => process.send!({ type: 'connected', ...r }));
  } else if (m.cmd === 'stats') {
    let frames = 0;
    let bytes = 0;
    let closed = 0;
    for (const c of clients) {
      frames += c.frames;
      bytes += c.payloadBytes;
      if (c.closed) closed++;
    }
    process.send!({ type: 'stats', frames, bytes, closed });
  } else if (m.cmd === 'close') {
    for (const c of clients) c.destroy();
    process.exit(0);
  }
});
process.send!({ type: 'up' });
