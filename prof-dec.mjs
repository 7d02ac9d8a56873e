import { createDecoder } from './dist/src/venues/binance/decode/index.js';
import { catalogSymbols, generateDepthSession } from './dist/bench/lib/depth-session.js';
const session = generateDepthSession({ seed: 7, symbols: catalogSymbols(['BTCUSDT','ETHUSDT','DOGEUSDT']), count: 200000, combined: false });
for (const impl of ['native', 'ts']) {
const { decoder } = createDecoder({ venue: 'binance', implementation: impl, instruments: session.instruments.map(i => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })) });
const sab = new SharedArrayBuffer(64 * 65536);
const g = { dataOffset: 0, slotBytes: 64, mask: 65535, startPos: 0, freeSlots: 65536 };
const R = 1000n;
const run = (a, b) => { for (let i = a; i < b; i++) { const n = decoder.decodeInto(session.frames[i], R, sab, g); g.startPos = (g.startPos + n) & 65535; } };
run(0, 50000);
const c0 = process.cpuUsage(); run(50000, 200000); const c = process.cpuUsage(c0);
console.log(impl, 'decode cpu us/msg', (c.user + c.system) / 150000);
}
{
const { decoder } = createDecoder({ venue: 'binance', implementation: 'native', instruments: session.instruments.map(i => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })) });
const sab = new SharedArrayBuffer(64 * 65536);
const g = { dataOffset: 0, slotBytes: 64, mask: 65535, startPos: 0, freeSlots: 65536 };
const tiny = Buffer.from('{}'); const R = 1000n;
for (let i = 0; i < 1e5; i++) decoder.decodeInto(tiny, R, sab, g);
const c0 = process.cpuUsage(); for (let i = 0; i < 1e6; i++) decoder.decodeInto(tiny, R, sab, g); const c = process.cpuUsage(c0);
console.log('tiny "{}" decode cpu ns/call', (c.user + c.system) / 1000);
const R2 = 1000;
const c1 = process.cpuUsage(); for (let i = 0; i < 1e6; i++) decoder.decodeInto(tiny, R2, sab, g); const d = process.cpuUsage(c1);
console.log('tiny "{}" decode with number recv ns/call', (d.user + d.system) / 1000);
}
{
const { decoder } = createDecoder({ venue: 'binance', implementation: 'native', instruments: session.instruments.map(i => ({ venueSymbol: i.venueSymbol, instrumentId: i.id, priceScale: i.priceScale, qtyScale: i.qtyScale })) });
const sab = new SharedArrayBuffer(64 * 65536);
const g = { dataOffset: 0, slotBytes: 64, mask: 65535, startPos: 0, freeSlots: 65536 };
const tiny = Buffer.from('{}');
decoder.decodeInto(tiny, 1000n, sab, g);
const h = decoder.handle;
for (let i = 0; i < 1e5; i++) h.decodeInto(tiny, 1000);
const c0 = process.cpuUsage(); for (let i = 0; i < 1e6; i++) h.decodeInto(tiny, 1000); const c = process.cpuUsage(c0);
console.log('raw handle tiny ns/call', (c.user + c.system) / 1000);
const f = session.frames[1000];
const c1 = process.cpuUsage(); for (let i = 0; i < 1e6; i++) h.decodeInto(f, 1000); const d = process.cpuUsage(c1);
console.log('raw handle real frame ns/call', (d.user + d.system) / 1000, f.length);
const noop = () => 0; const c2 = process.cpuUsage(); let z=0; for (let i = 0; i < 1e6; i++) z+=noop(tiny, 1000); const e = process.cpuUsage(c2);
}
