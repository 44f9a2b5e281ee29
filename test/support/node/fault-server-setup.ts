import type { TestProject } from 'vitest/node';
import { startFaultServer } from './fault-server.js';

import '../provided-context.js';

/** Vitest global setup: starts the fault server for the browser tests and stops it after them. */
export default async function setup(project: TestProject) {
  const server = await startFaultServer();
  project.provide('faultServer', server.url);
  return () => server.close();
}
