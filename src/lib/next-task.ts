/**
 * Resolves in a new task, after the messages already waiting for this thread are handled: what a
 * queue needs between two runs that held the thread, so requests that arrived meanwhile are seen
 * before it picks the next one. A message on a fresh channel, not `setTimeout(0)`, which browsers
 * clamp to 4 ms once timers nest.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(undefined);
  });
}
