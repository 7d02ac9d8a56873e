export * from './codes.js';
export { DecodeResult } from './result.js';
export { createDecoder, type CreateDecoderOptions, type CreatedDecoder } from './create-decoder.js';
export { NativeMdDecoder } from './native-decoder.js';
export { TsMdDecoder } from './ts-decoder.js';
export type { BinanceVenue, DecoderInstrument, MdDecoder, MdDecoderOptions, RingGeometry } from './types.js';
