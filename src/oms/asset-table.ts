/**
 * Interned asset ids (fee assets in reports and updates): base and quote assets of the
 * registry in registry order, from 1 (0 = ASSET_UNDEF). Every thread builds the same
 * table from the same instrument definitions, so ids agree without sharing objects.
 */
import type { InstrumentRegistry } from '../core/instruments/registry.js';

export class AssetTable {
  private readonly names: string[] = [''];
  private readonly ids = new Map<string, number>();

  constructor(registry: InstrumentRegistry) {
    for (const i of registry.all()) for (const a of [i.base, i.quote]) this.intern(a);
  }

  private intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** Id of `name`, interning assets the registry did not list (0 only for ''). */
  id = (name: string): number => (name === '' ? 0 : this.intern(name));
  name = (id: number): string => this.names[id] ?? '';
}
