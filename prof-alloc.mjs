import { Session } from 'node:inspector/promises';
import { VelozBookPath } from './dist/bench/lib/book-paths.js';
import { catalogSymbols, generateDepthSession } from './dist/bench/lib/depth-session.js';
const session = generateDepthSession({ seed: 7, symbols: catalogSymbols(['BTCUSDT','ETHUSDT','DOGEUSDT']), count: 120000, combined: false });
if (process.argv[2] === 'big') {
  const OFF = 60_000_000_000;
  session.frames = session.frames.map((f) => Buffer.from(f.toString().replace(/"U":(\d+),"u":(\d+)/, (_, a, b) => `"U":${+a + OFF},"u":${+b + OFF}`)));
  for (const [k, v] of session.snapshots) session.snapshots.set(k, Buffer.from(v.toString().replace(/"lastUpdateId":(\d+)/, (_, a) => `"lastUpdateId":${+a + OFF}`)));
}
const v = new VelozBookPath(session);
v.feed(0, 60000); v.drain();
const s = new Session(); s.connect();
await s.post('HeapProfiler.startSampling', { samplingInterval: 128, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
v.feed(60000, 110000); v.drain();
const { profile } = await s.post('HeapProfiler.stopSampling');
const sites = new Map();
const walk = (n, stack) => { const name = `${n.callFrame.functionName}@${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber}`; const st = [...stack, name]; if (n.selfSize) sites.set(st.slice(-3).join(' < '), (sites.get(st.slice(-3).join(' < ')) ?? 0) + n.selfSize); for (const c of n.children) walk(c, st); };
walk(profile.head, []);
console.log(v.gaps, [...sites.entries()].sort((a,b)=>b[1]-a[1]).slice(0,8).map(([k,v])=>`${(v/50000).toFixed(2)} B/msg ${k}`).join('\n'));
