import type { TestProject } from 'vitest/node';
import { startBeaconSink } from './beacon-sink.js';
import { startFaultServer } from './fault-server.js';
import { ensureLargeModel } from './large-model.js';
import { startUpdateServer } from './update-server.js';

import '../provided-context.js';

/**
 * Vitest global setup: writes the large synthetic model when missing, starts the fault server
 * (which serves it beside the fixtures), the telemetry endpoint and the server of changing
 * manifests for the browser tests, and stops them after.
 */
export default async function setup(project: TestProject) {
  project.provide('largeModel', await ensureLargeModel());
  const server = await startFaultServer();
  project.provide('faultServer', server.url);
  const sink = await startBeaconSink();
  project.provide('beaconSink', sink.url);
  const updates = await startUpdateServer();
  project.provide('updateServer', updates.url);
  return async () => {
    await server.close();
    await sink.close();
    await updates.close();
  };
}
