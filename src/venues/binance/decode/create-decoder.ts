/**
 * The one way to get a Binance market-data decoder: native when the addon loads, the
 * pure-TS twin otherwise (or when asked), and it says which and why.
 */
import { tryNative } from '../../../native/load-addon.js';
import { NativeMdDecoder } from './native-decoder.js';
import { TsMdDecoder } from './ts-decoder.js';
import type { MdDecoder, MdDecoderOptions } from './types.js';

export interface CreateDecoderOptions extends MdDecoderOptions {
  /** 'auto' (default): native if available; 'native': fail without the addon; 'ts': never native. */
  readonly implementation?: 'auto' | 'native' | 'ts';
}

export interface CreatedDecoder {
  readonly decoder: MdDecoder;
  readonly implementation: 'native' | 'ts';
  /** Why the TS decoder was chosen, when it was. */
  readonly fallbackReason: string | null;
}

export function createDecoder(options: CreateDecoderOptions): CreatedDecoder {
  const want = options.implementation ?? 'auto';
  if (want === 'ts') return { decoder: new TsMdDecoder(options), implementation: 'ts', fallbackReason: 'implementation: ts was requested' };
  const loaded = tryNative();
  if (loaded.addon && typeof loaded.addon.createBinanceMdDecoder === 'function') {
    return { decoder: new NativeMdDecoder(loaded.addon, options), implementation: 'native', fallbackReason: null };
  }
  const reason = loaded.error ? loaded.error.message : 'the loaded addon has no decoder binding';
  if (want === 'native') throw loaded.error ?? new Error(reason);
  return { decoder: new TsMdDecoder(options), implementation: 'ts', fallbackReason: reason };
}
