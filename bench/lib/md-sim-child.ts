/**
 * The venue side of bench/md-sustained, in its own process (its own core): a recorded
 * depth session (depth-session.ts) pushed by the sim's replay sender over loopback as
 * fast as the reader drains it, and the session's REST snapshots served by a plain HTTP
 * server at /api/v3/depth (the sim's own REST would answer from its live engine, which
 * is not the recorded one).
 *
 * IPC: → {kind:'ready', wsUrl, restUrl, frames, symbols, final} once listening;
 *      ← {cmd:'replay'} → {kind:'replayed', sent, elapsedMs, perSecond} when sent;
 *      ← {cmd:'stop'} → exits.
 */
import { createServer } from 'node:http';
import { SimExchange } from '../../src/venues/sim/server/exchange.js';
import { stderrLog } from '../../src/venues/sim/server/log.js';
import { catalogSymbols, generateDepthSession } from './depth-session.js';
import { pinThread } from './pin.js';

const [countArg, cpuArg, ...names] = process.argv.slice(2);
const count = Number(countArg);
// The sender's core, away from the reader's (see md-sustained.ts).
if (cpuArg !== 'none') pinThread(Number(cpuArg));
const symbols = catalogSymbols(names);
const session = generateDepthSession({ seed: 11, symbols, count, combined: true });
const sim = await SimExchange.start({ port: 0, plugins: [], rate: 0, symbols: names, maxIncomingPerSec: 0, seedBooks: false, log: stderrLog('error') });

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const body = url.pathname === '/api/v3/depth' ? session.snapshots.get(url.searchParams.get('symbol') ?? '') : undefined;
  if (!body) {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":-1121,"msg":"Invalid symbol."}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(body);
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
const port = (http.address() as { port: number }).port;

// The parent gone (crashed, killed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
process.on('message', (m: { cmd: string }) => {
  if (m.cmd === 'replay') {
    sim.replay(session.frames, { repeat: 1 }).then(
      (r) => process.send!({ kind: 'replayed', ...r }),
      (err: Error) => process.send!({ kind: 'replayed', sent: 0, error: err.message }),
    );
  } else if (m.cmd === 'stop') {
    void sim.stop().then(() => {
      http.close();
      process.exit(0);
    });
  }
});
process.send!({
  kind: 'ready',
  wsUrl: sim.wsUrl,
  restUrl: `http://127.0.0.1:${port}`,
  frames: session.frames.length,
  meanFrameBytes: session.meanFrameBytes,
  final: Object.fromEntries([...session.final].map(([s, f]) => [s, { lastUpdateId: f.lastUpdateId, bids: f.bids, asks: f.asks }])),
});
