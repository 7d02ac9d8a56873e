/** All sim accounts, found by API key (requests) or by owner name (matching engine). */
import type { Instrument } from '../../../core/instruments/instrument.js';
import { SimAccount } from './account.js';
import { AssetScales } from './asset-scales.js';
import { validateAccountConfigs } from './config.js';

export class AccountRegistry {
  readonly scales: AssetScales;
  private readonly byKey = new Map<string, SimAccount>();
  private readonly byName = new Map<string, SimAccount>();

  constructor(configs: unknown, instruments: readonly Instrument[]) {
    this.scales = new AssetScales(instruments);
    for (const c of validateAccountConfigs(configs)) {
      const a = new SimAccount(c, this.scales);
      this.byKey.set(a.apiKey, a);
      this.byName.set(a.name, a);
    }
  }

  byApiKey(apiKey: string): SimAccount | undefined {
    return this.byKey.get(apiKey);
  }

  byOwner(owner: string): SimAccount | undefined {
    return this.byName.get(owner);
  }

  all(): SimAccount[] {
    return [...this.byName.values()];
  }
}
