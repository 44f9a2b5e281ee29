/** One channel for the whole thread: opening a `MessageChannel` per call costs more than its message. */
let channel: MessageChannel | undefined;
const waiting: (() => void)[] = [];

/**
 * Resolves in a new task, after the messages already waiting for this thread are handled: what a
 * queue needs between two runs that held the thread, so requests that arrived meanwhile are seen
 * before it picks the next one. A message on a channel, not `setTimeout(0)`, which browsers
 * clamp to 4 ms once timers nest. Messages arrive in the order they were posted: each resolves
 * the oldest waiter.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
      // Node keeps a process alive while a port listens; this one must not.
      (channel.port1 as { unref?: () => void }).unref?.();
    }
    waiting.push(resolve);
    channel.port2.postMessage(undefined);
  });
}
