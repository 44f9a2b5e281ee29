import type { TestProject } from 'vitest/node';
import { startFaultServer } from './fault-server.js';
import { ensureLargeModel } from './large-model.js';

import '../provided-context.js';

/**
 * Vitest global setup: writes the large synthetic model when missing, starts the fault server
 * (which serves it beside the fixtures) for the browser tests, and stops it after them.
 */
export default async function setup(project: TestProject) {
  project.provide('largeModel', await ensureLargeModel());
  const server = await startFaultServer();
  project.provide('faultServer', server.url);
  return () => server.close();
}
