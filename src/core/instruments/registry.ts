import { type Instrument, type InstrumentDefinition, InstrumentDefinitionError, INSTRUMENT_UNDEF, instrumentFromDefinition } from './instrument.js';

/** Ids fit the u32 instrument field of every binary record. */
const MAX_INSTRUMENT_ID = 0xffff_ffff;

/**
 * Interns instruments to dense u32 ids (1, 2, …) and maps both spellings of a symbol to
 * them. Built once at start from config and venue exchangeInfo, then shared read-only:
 * every thread that needs it builds the same registry from the same definitions, in the
 * same order, so ids agree without sharing objects across threads.
 */
export class InstrumentRegistry {
  private readonly byIdList: (Instrument | undefined)[] = [undefined];
  private readonly byCanonical = new Map<string, Instrument>();
  private readonly byVenueSymbolMap = new Map<string, Instrument>();

  static from(defs: readonly InstrumentDefinition[]): InstrumentRegistry {
    const r = new InstrumentRegistry();
    for (const d of defs) r.add(d);
    return r;
  }

  /** Adds an instrument, or returns the existing one for the same venue and symbol. */
  add(def: InstrumentDefinition): Instrument {
    const key = `${def.venue}\u0000${def.symbol}`;
    const existing = this.byCanonical.get(key);
    if (existing) {
      if (existing.venueSymbol !== def.venueSymbol) {
        throw new InstrumentDefinitionError(
          `instrument ${def.venue}:${def.symbol} registered twice with venue symbols ${existing.venueSymbol} and ${def.venueSymbol}`,
        );
      }
      return existing;
    }
    const id = this.byIdList.length;
    if (id > MAX_INSTRUMENT_ID) throw new InstrumentDefinitionError('more than 2^32-1 instruments');
    const inst = instrumentFromDefinition(id, def);
    this.byIdList.push(inst);
    this.byCanonical.set(key, inst);
    this.byVenueSymbolMap.set(`${def.venue}\u0000${def.venueSymbol}`, inst);
    // Binance streams spell symbols in lower case, REST in upper: accept both.
    this.byVenueSymbolMap.set(`${def.venue}\u0000${def.venueSymbol.toLowerCase()}`, inst);
    this.byVenueSymbolMap.set(`${def.venue}\u0000${def.venueSymbol.toUpperCase()}`, inst);
    return inst;
  }

  get size(): number {
    return this.byIdList.length - 1;
  }

  /** The instrument with `id`, or undefined (id 0 is INSTRUMENT_UNDEF). */
  byId(id: number): Instrument | undefined {
    return id === INSTRUMENT_UNDEF ? undefined : this.byIdList[id];
  }

  /** Like byId but throws naming the id: for ids that come from our own records. */
  require(id: number): Instrument {
    const inst = this.byId(id);
    if (!inst) throw new RangeError(`unknown instrument id ${id} (registry has ${this.size})`);
    return inst;
  }

  bySymbol(venue: string, symbol: string): Instrument | undefined {
    return this.byCanonical.get(`${venue}\u0000${symbol}`);
  }

  byVenueSymbol(venue: string, venueSymbol: string): Instrument | undefined {
    return this.byVenueSymbolMap.get(`${venue}\u0000${venueSymbol}`);
  }

  all(): Instrument[] {
    return this.byIdList.filter((x): x is Instrument => x !== undefined);
  }
}
