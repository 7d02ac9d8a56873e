import { Session } from 'node:inspector/promises';
import { VelozBookPath } from './dist/bench/lib/book-paths.js';
import { catalogSymbols, generateDepthSession } from './dist/bench/lib/depth-session.js';
const session = generateDepthSession({ seed: 7, symbols: catalogSymbols(['BTCUSDT','ETHUSDT','DOGEUSDT']), count: 400000, combined: false });
const v = new VelozBookPath(session);
v.feed(0, 100000); v.drain();
const s = new Session(); s.connect();
await s.post('Profiler.enable'); await s.post('Profiler.setSamplingInterval', { interval: 50 }); await s.post('Profiler.start');
const c0 = process.cpuUsage(); const t0 = performance.now();
v.feed(100000, 400000); v.drain();
const c = process.cpuUsage(c0);
const { profile: p } = await s.post('Profiler.stop');
console.log('cpu us/msg', (c.user + c.system) / 300000, 'wall us/msg', (performance.now()-t0)*1000/300000);
const self=new Map();const total=p.samples.length;const byId=new Map(p.nodes.map(n=>[n.id,n]));
const counts=new Map();for(const x of p.samples)counts.set(x,(counts.get(x)||0)+1);
for(const [id,cnt] of counts){const n=byId.get(id);const k=n.callFrame.functionName+' '+n.callFrame.url.split('/').slice(-2).join('/')+':'+n.callFrame.lineNumber;self.set(k,(self.get(k)||0)+cnt);}
console.log([...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,22).map(([k,v])=>(100*v/total).toFixed(1)+'% '+k).join('\n'));
