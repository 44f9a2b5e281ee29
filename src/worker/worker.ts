/// <reference lib="webworker" />
/**
 * The worker entry: exposes the runtime host to the page through Comlink. This module is the
 * worker chunk's root; it is the only place onnxruntime-web is reached from.
 */
import { expose } from 'comlink';
import { toWire } from '../lib/wire.js';
import { isOrtThreadWorker, startOrtThread } from '../session/ort-loader.js';
import { createHost } from './host.js';

if (isOrtThreadWorker()) void startOrtThread();
else expose(toWire(createHost()));
