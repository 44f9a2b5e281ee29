import type { Page } from 'playwright';

/** Where the sample clip's sentence is (scripts/make-audio-fixture.py): speech inside, silence well outside. */
export const spoken = { from: 1.2, to: 3.0 };

/** Shows the model `key` in the model card, loads it and waits for it to be ready (or fails with its error). */
export async function load(page: Page, key: string): Promise<void> {
  await page.click(`.model-item[data-model="${key}"]`);
  await page.click('#load-button');
  const item = `.model-item[data-model="${key}"]`;
  await page.waitForSelector(`${item}[data-state="ready"], ${item}[data-state="failed"]`, { timeout: 60_000 });
  if ((await page.getAttribute(item, 'data-state')) === 'failed')
    throw new Error(`${key}: ${await page.textContent('#load-error')}`);
}

/** Clicks the panel's Run button and waits for that run to be shown (or fails with what the panel says). */
export async function run(page: Page, kind: 'vad' | 'orientation'): Promise<void> {
  const status = `#${kind}-status`;
  const before = Number((await page.getAttribute(status, 'data-runs')) ?? 0);
  await page.click(`#${kind}-run`);
  await page.waitForSelector(`${status}[data-runs="${before + 1}"], ${status}.failed`, { timeout: 60_000 });
  if (await page.$(`${status}.failed`)) throw new Error(`${kind}: ${await page.textContent(status)}`);
}

/** The speech segments (seconds) the VAD panel shows. */
export async function speechSegments(page: Page): Promise<[number, number][]> {
  return JSON.parse((await page.getAttribute('#vad-result', 'data-segments')) ?? 'null') as [number, number][];
}
