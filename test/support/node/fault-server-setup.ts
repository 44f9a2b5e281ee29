import type { TestProject } from 'vitest/node';
import { startBeaconSink } from './beacon-sink.js';
import { startFaultServer } from './fault-server.js';
import { ensureLargeModel } from './large-model.js';

import '../provided-context.js';

/**
 * Vitest global setup: writes the large synthetic model when missing, starts the fault server
 * (which serves it beside the fixtures) and the telemetry endpoint for the browser tests, and
 * stops them after.
 */
export default async function setup(project: TestProject) {
  project.provide('largeModel', await ensureLargeModel());
  const server = await startFaultServer();
  project.provide('faultServer', server.url);
  const sink = await startBeaconSink();
  project.provide('beaconSink', sink.url);
  return async () => {
    await server.close();
    await sink.close();
  };
}
