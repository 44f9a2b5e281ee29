/**
 * RELIABILITY.md 28 and 29, the deployment profiles, with the headers each needs. A page that
 * imports the runtime from src/ is built by Vite for production (no inline script; workers as ES
 * modules) and served by a real collector (its `site` option) with the headers under test, so
 * its telemetry goes to `/collect` on the same origin. CSP violations are recorded three ways:
 * the page's `securitypolicyviolation` events, the page's DevTools issues (Chromium 156 reports
 * violations there, not on the console), and the policy's `report-uri` (a sink on another port),
 * which alone hears violations inside workers — webinfer's worker, where onnxruntime-web runs.
 * Controls that try `new Function` on the page and in a worker prove each record would show one.
 * The console of the page and its workers is recorded too: the warning of case 29, and errors.
 *
 * Found on Chromium 156 with onnxruntime-web 1.30: under `script-src 'self' 'wasm-unsafe-eval';
 * worker-src 'self'` WebGPU runs as well as WASM, with no violation (its WebGPU build links
 * Embind's `new Function`, but no path taken here calls it); without `'wasm-unsafe-eval'`
 * nothing can run, and the load fails at once, naming the directive.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { build } from 'vite';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { type Collector, createCollector } from '../../src/collector/create-collector.js';
import type { Backend, ModelInfo } from '../../src/types.js';
import { type Arrival, type BeaconSink, startBeaconSink } from '../support/node/beacon-sink.js';
import { baseChromiumArgs, chromiumPath, webgpuArg } from '../support/node/chromium.js';

const pages = fileURLToPath(new URL('./pages/', import.meta.url));
const addModel = fileURLToPath(new URL('../fixtures/models/add.onnx', import.meta.url));
/** The strict profile of issue 9: WebAssembly, but no eval, and workers from the origin only. */
const strictCsp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const expectedSum = [11, 22, 33, 44, 55, 66];

let dir: string;
let site: string;
let sink: BeaconSink;
let browser: Browser;
const open: { collector: Collector; close(): Promise<void> }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'webinfer-profiles-'));
  site = join(dir, 'site');
  await build({
    root: pages,
    base: '/',
    configFile: false,
    logLevel: 'warn',
    build: { outDir: site, emptyOutDir: true, rolldownOptions: { input: join(pages, 'profile.html') } },
    worker: { format: 'es' },
  });
  // The collector's site serves `index.html` at `/`; the model sits beside the build.
  copyFileSync(join(site, 'profile.html'), join(site, 'index.html'));
  mkdirSync(join(site, 'models'));
  copyFileSync(addModel, join(site, 'models/add.onnx'));
  // Chromium asks for one: a 404 would be the console's only error.
  writeFileSync(join(site, 'favicon.ico'), '');
  sink = await startBeaconSink();
  browser = await chromium.launch({ executablePath: chromiumPath, args: [...baseChromiumArgs, webgpuArg] });
}, 180_000);

afterEach(async () => {
  for (const visit of open.splice(0)) await visit.close();
});

afterAll(async () => {
  await browser?.close();
  await sink?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ConsoleEntry {
  readonly type: string;
  readonly text: string;
  /** `page`, or the script of the worker whose console it is. */
  readonly from: string;
}

/** What test/e2e/pages/profile.ts puts on `globalThis.scenarios` (that file is built for the DOM). */
interface ProfileScenarios {
  addOn(backends: Backend[], runtime?: string): Promise<AddOutcome>;
  flush(): Promise<void>;
  violations(): { directive: string; blockedURI: string; sourceFile: string }[];
  evalInPage(): Promise<string>;
  evalInWorker(): Promise<{ outcome: string; violations: { directive: string; blockedURI: string }[] }>;
}
type AddOutcome =
  | { readonly ok: true; readonly info: ModelInfo; readonly sum: number[] | null; readonly ms: number }
  | {
      readonly ok: false;
      readonly error: { name: string; code: string | null; message: string; details: Record<string, unknown> };
      readonly ms: number;
    };

/** A DevTools `ContentSecurityPolicyIssue` of the page. */
interface CspIssue {
  readonly directive: string;
  /** `kEvalViolation`, `kWasmEvalViolation`, `kURLViolation`, ... */
  readonly kind: string;
}

/** One `csp-report` that reached the policy's `report-uri`. */
interface CspReport {
  readonly 'document-uri': string;
  readonly 'effective-directive': string;
  readonly 'blocked-uri': string;
  readonly 'source-file'?: string;
}

interface Visit {
  readonly page: Page;
  readonly collector: Collector;
  /** Console messages of the page and its workers. */
  readonly console: ConsoleEntry[];
  /** The page's CSP issues, as DevTools lists them. */
  readonly issues: CspIssue[];
  readonly pageErrors: string[];
  /** Every URL the page and its workers requested. */
  readonly requests: string[];
  /** The reports the policy sent so far. */
  reports(): Promise<CspReport[]>;
}

/** Opens the page in a fresh browser context, served with `headers` (COOP/COEP too when `isolated`). */
async function visit(name: string, { isolated, csp }: { isolated: boolean; csp?: string }): Promise<Visit> {
  const reportPath = `${name}-${Date.now()}`;
  const collector = await createCollector({
    db: join(dir, `${reportPath}.db`),
    port: 0,
    site: {
      root: site,
      isolated,
      // report-uri adds reporting only: what the policy allows is what `csp` says.
      headers: csp ? { 'Content-Security-Policy': `${csp}; report-uri ${sink.url}/${reportPath}/csp` } : {},
    },
  });
  const context = await browser.newContext();
  open.push({
    collector,
    close: async () => {
      await context.close();
      await collector.close();
    },
  });
  const page = await context.newPage();
  const entries: ConsoleEntry[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => entries.push({ type: m.type(), text: m.text(), from: 'page' }));
  page.on('worker', (worker) =>
    worker.on('console', (m) => entries.push({ type: m.type(), text: m.text(), from: worker.url() })),
  );
  page.on('pageerror', (error) => pageErrors.push(error.message));
  context.on('request', (request) => requests.push(request.url()));
  // Chromium reports a page's CSP violations to DevTools as issues, not as console messages.
  const issues: CspIssue[] = [];
  const cdp = await context.newCDPSession(page);
  cdp.on('Audits.issueAdded', ({ issue }) => {
    const csp = issue.details.contentSecurityPolicyIssueDetails;
    if (csp) issues.push({ directive: csp.violatedDirective, kind: csp.contentSecurityPolicyViolationType });
  });
  await cdp.send('Audits.enable');
  await page.goto(`${collector.url}/`);
  await page.waitForFunction(() => 'scenarios' in globalThis);
  const reports = async () => {
    const arrivals = (await (await fetch(`${sink.url}/log/${reportPath}`)).json()) as Arrival[];
    return arrivals.map((a) => (JSON.parse(a.body) as { 'csp-report': CspReport })['csp-report']);
  };
  return { page, collector, console: entries, issues, pageErrors, requests, reports };
}

const scenarios = (page: Page) =>
  ({
    addOn: (backends: Backend[], runtime = 'a') =>
      page.evaluate(([b, r]) => (globalThis as unknown as { scenarios: ProfileScenarios }).scenarios.addOn(b, r), [
        backends,
        runtime,
      ] as const),
    flush: () => page.evaluate(() => (globalThis as unknown as { scenarios: ProfileScenarios }).scenarios.flush()),
    violations: () => page.evaluate(() => (globalThis as unknown as { scenarios: ProfileScenarios }).scenarios.violations()),
    evalInPage: () => page.evaluate(() => (globalThis as unknown as { scenarios: ProfileScenarios }).scenarios.evalInPage()),
    evalInWorker: () => page.evaluate(() => (globalThis as unknown as { scenarios: ProfileScenarios }).scenarios.evalInWorker()),
  }) as const;

/** Waits until `count` reports arrived (reports go out a moment after the violation), then returns them all. */
async function reportsWhen(visit: Visit, done: (reports: CspReport[]) => boolean): Promise<CspReport[]> {
  const deadline = Date.now() + 10_000;
  let reports = await visit.reports();
  while (!done(reports) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    reports = await visit.reports();
  }
  return reports;
}

/**
 * The controls: `new Function` on the page and in a worker of it is refused, and each record
 * shows it: the page's `securitypolicyviolation` event and DevTools issue, and both reports
 * (only `report-uri` hears workers: their events and issues stay inside them). Reports leave in
 * order, so once the controls' are in, any violation before them is too. Returns every record's
 * other entries, and the console's errors (none expected at all).
 */
async function violationsBesideControls(v: Visit) {
  const page = scenarios(v.page);
  const refused = /^EvalError: .*'unsafe-eval' is not an allowed source of script/;
  expect(await page.evalInPage()).toMatch(refused);
  const inWorker = await page.evalInWorker();
  expect(inWorker.outcome).toMatch(refused);
  expect(inWorker.violations).toEqual([{ directive: 'script-src', blockedURI: 'eval' }]);
  const pageUrl = `${v.collector.url}/`;
  const isControl = (r: CspReport) => r['document-uri'] === pageUrl || r['document-uri'].includes('/profile.worker-');
  const reports = await reportsWhen(v, (all) => all.filter(isControl).length === 2);
  expect(reports.filter(isControl)).toEqual([
    expect.objectContaining({ 'document-uri': pageUrl, 'effective-directive': 'script-src', 'blocked-uri': 'eval' }),
    expect.objectContaining({ 'effective-directive': 'script-src', 'blocked-uri': 'eval' }),
  ]);
  const violations = await page.violations();
  expect(violations.filter((e) => e.blockedURI === 'eval')).toHaveLength(1);
  const control = (i: CspIssue) => i.kind === 'kEvalViolation';
  expect(v.issues.filter(control)).toEqual([{ directive: 'script-src', kind: 'kEvalViolation' }]);
  return {
    reports: reports.filter((r) => !isControl(r)),
    violations: violations.filter((e) => e.blockedURI !== 'eval'),
    issues: v.issues.filter((i) => !control(i)),
    consoleErrors: v.console.filter((e) => e.type === 'error'),
  };
}

/** What `violationsBesideControls` returns when the profile caused no violation and no error. */
const nothing = { reports: [], violations: [], issues: [], consoleErrors: [] };

test('28: under the strict CSP, cross-origin isolated, the WASM profile runs, and WebGPU too, with no violation', async () => {
  const v = await visit('strict-isolated', { isolated: true, csp: strictCsp });
  const page = scenarios(v.page);
  const wasm = await page.addOn(['wasm']);
  expect(wasm).toMatchObject({ ok: true, sum: expectedSum });
  if (!wasm.ok) return;
  expect(wasm.info).toMatchObject({ backend: 'wasm', attempts: [{ backend: 'wasm', ok: true }], crossOriginIsolated: true });
  expect(wasm.info.singleThread).toBeUndefined();

  const webgpu = await page.addOn(['webgpu']);
  expect(webgpu).toMatchObject({ ok: true, sum: expectedSum });
  if (!webgpu.ok) return;
  expect(webgpu.info).toMatchObject({ backend: 'webgpu', attempts: [{ backend: 'webgpu', ok: true }], singleThread: 'webgpu' });
  expect(webgpu.info.fallbackReason).toBeUndefined();
  // Not a long timeout that happened to end well: a load of a few seconds on the software adapter.
  expect(webgpu.ms).toBeLessThan(30_000);

  expect(await violationsBesideControls(v)).toEqual(nothing);
  expect(v.pageErrors).toEqual([]);
  // The requests of webinfer's worker are seen (so "not requested" below would mean something).
  expect(v.requests.filter((url) => url.endsWith('/models/add.onnx'))).toHaveLength(2);
});

test('28: under the strict CSP without COOP/COEP, WebGPU runs, single-threaded as it always is, without a warning', async () => {
  const v = await visit('strict', { isolated: false, csp: strictCsp });
  const page = scenarios(v.page);
  const webgpu = await page.addOn(['webgpu']);
  expect(webgpu).toMatchObject({ ok: true, sum: expectedSum });
  if (!webgpu.ok) return;
  expect(webgpu.info).toMatchObject({ backend: 'webgpu', crossOriginIsolated: false, threads: 1, singleThread: 'webgpu' });
  // COOP/COEP would change nothing for a WebGPU session: nothing to warn about.
  expect(v.console.filter((e) => e.type === 'warning' && /webinfer/.test(e.text))).toEqual([]);
  expect(await violationsBesideControls(v)).toEqual(nothing);
  expect(v.pageErrors).toEqual([]);
});

test("28: a policy without 'wasm-unsafe-eval' fails every load at once, naming the directive, before any download", async () => {
  const v = await visit('no-wasm-eval', { isolated: true, csp: "default-src 'self'; script-src 'self'; worker-src 'self'" });
  const page = scenarios(v.page);
  for (const backends of [['webgpu'], ['wasm'], ['webgpu', 'wasm']] satisfies Backend[][]) {
    const outcome = await page.addOn(backends);
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        name: 'BackendError',
        code: 'csp-blocked',
        message: expect.stringContaining("add 'wasm-unsafe-eval' to its script-src"),
        details: { directive: 'script-src', missing: "'wasm-unsafe-eval'" },
      },
    });
    expect(outcome.ms).toBeLessThan(10_000);
  }
  expect(v.requests.filter((url) => url.includes('/models/'))).toEqual([]);
  // What was refused: WebAssembly compiled in webinfer's worker (once: the check is kept per worker).
  const reports = await reportsWhen(v, (all) => all.length > 0);
  expect(reports).toEqual([expect.objectContaining({ 'effective-directive': 'script-src', 'blocked-uri': 'wasm-eval' })]);
  expect(reports[0]?.['document-uri']).toMatch(/\/assets\/worker-[\w-]+\.js$/);
  expect(await page.violations()).toEqual([]);
});

test('29: without COOP/COEP, wasm runs on one thread, says why in model.info and telemetry, and warns once per page', async () => {
  const v = await visit('not-isolated', { isolated: false });
  const page = scenarios(v.page);
  // Two loads in one runtime, a third in another runtime of the same page.
  const loads = [await page.addOn(['wasm']), await page.addOn(['wasm']), await page.addOn(['wasm'], 'b')];
  for (const load of loads) {
    expect(load).toMatchObject({ ok: true, sum: expectedSum });
    if (!load.ok) return;
    expect(load.info).toMatchObject({
      backend: 'wasm',
      crossOriginIsolated: false,
      threads: 1,
      singleThread: 'not-isolated',
      singleThreadReason: expect.stringContaining('Cross-Origin-Embedder-Policy: require-corp'),
    });
  }
  const warnings = v.console.filter((e) => e.type === 'warning');
  expect(warnings.map((w) => w.text)).toEqual([
    expect.stringMatching(/^webinfer: wasm runs on one thread, not cross-origin isolated/),
  ]);
  // On the page's console, where a developer looks (not a worker's).
  expect(warnings[0]?.from).toBe('page');

  await page.flush();
  const metrics = await (await fetch(`${v.collector.url}/metrics`)).text();
  const version = loads[0]?.ok ? loads[0].info.version : '';
  expect(metrics).toContain(
    `webinfer_single_thread_loads_total{model="add",version="${version}",backend="wasm",reason="not-isolated"} 3`,
  );
  expect(v.console.filter((e) => e.type === 'error')).toEqual([]);
  expect(v.pageErrors).toEqual([]);
});
