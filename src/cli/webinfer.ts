#!/usr/bin/env node
import { main } from './main.js';

// process.exitCode, not process.exit(): exiting at once could cut off a manifest still being
// written to a piped stdout.
process.exitCode = await main(process.argv.slice(2));
