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
