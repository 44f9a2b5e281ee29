import type { Route } from 'playwright';
import type { BrowserCommand } from 'vitest/node';

const offlineRoutes = new WeakMap<object, (route: Route) => Promise<void>>();

/**
 * Commands the browser tests run on the Node side, where Playwright is (`commands` from
 * 'vitest/browser').
 *
 * `setOffline(true)` fails every `fetch` and XHR of the page and of its workers as a device
 * without network does (`net::ERR_INTERNET_DISCONNECTED`). Scripts still load, as a service
 * worker would serve an app's shell: Playwright's `context.setOffline` would also cut the
 * channel between the test page and Vitest, and the test with it.
 */
export const setOffline: BrowserCommand<[offline: boolean]> = async ({ context }, offline) => {
  const existing = offlineRoutes.get(context);
  if (existing) {
    await context.unroute('**/*', existing);
    offlineRoutes.delete(context);
  }
  if (!offline) return;
  const handler = async (route: Route) => {
    const type = route.request().resourceType();
    if (type === 'fetch' || type === 'xhr') await route.abort('internetdisconnected');
    else await route.fallback();
  };
  offlineRoutes.set(context, handler);
  await context.route('**/*', handler);
};
