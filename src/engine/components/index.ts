/**
 * Which components `veloz run` starts for a config, in start order. Later components may
 * use earlier ones (the market-data pipeline connects to the embedded sim).
 */
import type { Config } from '../../core/config/schema.js';
import type { ComponentSpec } from '../component.js';
import { embeddedSimComponent, wantsEmbeddedSim } from './embedded-sim.js';

export function engineComponents(config: Config): ComponentSpec[] {
  const list: ComponentSpec[] = [];
  if (wantsEmbeddedSim(config.venues)) list.push(embeddedSimComponent);
  return list;
}
