/**
 * A worker that only sends back what it gets, transferring the buffers: the messaging floor
 * under webinfer's round trip. Named `raw`, it answers plain `postMessage`; otherwise Comlink.
 */
import { expose, transfer } from 'comlink';

type Payload = Record<string, { data: ArrayBufferView }>;

const buffersOf = (payload: Payload) => Object.values(payload).map((tensor) => tensor.data.buffer as ArrayBuffer);

if (self.name === 'raw') {
  self.onmessage = (event: MessageEvent<Payload>) => self.postMessage(event.data, { transfer: buffersOf(event.data) });
} else {
  expose({ echo: (payload: Payload) => transfer(payload, buffersOf(payload)) });
}
