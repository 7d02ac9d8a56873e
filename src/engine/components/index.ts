/**
 * Which components `veloz run` starts for a config, in start order. Later components may
 * use earlier ones (the gateway serves the metrics region; the market-data pipeline
 * connects to the embedded sim).
 */
import type { Config } from '../../core/config/schema.js';
import type { ComponentSpec } from '../component.js';
import { controlComponent } from './control.js';
import { databaseComponent } from './database.js';
import { embeddedSimComponent, wantsEmbeddedSim } from './embedded-sim.js';
import { gatewayComponent } from './gateway.js';
import { marketDataComponent } from './market-data.js';
import { metricsComponent } from './metrics.js';

export function engineComponents(config: Config): ComponentSpec[] {
  const list: ComponentSpec[] = [metricsComponent];
  if (wantsEmbeddedSim(config.venues)) list.push(embeddedSimComponent, marketDataComponent);
  list.push(databaseComponent, controlComponent, gatewayComponent);
  return list;
}
