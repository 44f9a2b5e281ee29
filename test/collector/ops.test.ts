import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { CollectorMetrics } from '../../src/collector/collector-metrics.js';
import { scenarios, series } from './alert-scenarios.js';

/**
 * The operator files shipped in `src/collector/ops/`: the Prometheus alert rules pass `promtool
 * check rules` and fire on the series they are meant for (`promtool test rules`), and the Grafana
 * dashboard queries only metrics the collector exposes, in PromQL that parses, filtered by its
 * template variables. promtool comes from Debian's `prometheus` package; without it these tests
 * fail (they do not skip), or set PROMTOOL to its path.
 */
const ops = fileURLToPath(new URL('../../src/collector/ops/', import.meta.url));
const alertsFile = join(ops, 'prometheus-alerts.yml');
const alerts = readFileSync(alertsFile, 'utf8');
const dashboard = JSON.parse(readFileSync(join(ops, 'grafana-dashboard.json'), 'utf8')) as Dashboard;

/** What the collector's `/metrics` exposes; the model-labelled ones carry model, version and backend. */
const counters = {
  webinfer_runs_total: true,
  webinfer_run_errors_total: true,
  webinfer_anomalies_total: true,
  webinfer_feedback_rows_total: true,
  webinfer_single_thread_loads_total: true,
  webinfer_long_frames_total: false,
  // model and version (the new one, or the one given up), no backend
  webinfer_model_updates_total: false,
  webinfer_model_rollbacks_total: false,
  webinfer_beacons_received_total: false,
  webinfer_beacons_duplicate_total: false,
  webinfer_beacons_rejected_total: false,
  webinfer_client_dropped_total: false,
  webinfer_series_dropped_total: false,
};
const histograms = {
  webinfer_run_duration_seconds: true,
  webinfer_load_duration_seconds: true,
  webinfer_web_vital_lcp_seconds: false,
  webinfer_web_vital_inp_seconds: false,
  webinfer_web_vital_fcp_seconds: false,
  webinfer_web_vital_ttfb_seconds: false,
  webinfer_web_vital_cls: false,
};
/** Series name → the metric it belongs to (a histogram's `_bucket`, `_sum` and `_count`). */
const seriesOf = new Map<string, string>([
  ...Object.keys(counters).map((name): [string, string] => [name, name]),
  ...Object.keys(histograms).flatMap((name) => ['_bucket', '_sum', '_count'].map((s): [string, string] => [name + s, name])),
]);
const modelLabelled = new Set(
  Object.entries({ ...counters, ...histograms }).flatMap(([name, labelled]) => (labelled ? [name] : [])),
);
// biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, kept as is in the JSON.
const prometheus = { type: 'prometheus', uid: '${DS_PROMETHEUS}' };
const metricTokens = (text: string) => [...new Set(text.match(/webinfer_[a-z_]+/g) ?? [])];

interface Target {
  readonly expr: string;
  readonly refId: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string;
  readonly datasource?: { readonly uid: string };
}
interface Dashboard {
  readonly schemaVersion: number;
  readonly uid: string;
  readonly title: string;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
const targets = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));

const scratch = mkdtempSync(join(tmpdir(), 'webinfer-ops-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The `expr:` of each rule in a rules file: one line, or the block scalar indented below it. */
function alertExprs(yaml: string): string[] {
  const exprs: string[] = [];
  const lines = yaml.split('\n');
  for (const [i, line] of lines.entries()) {
    const [, indent = '', rest = ''] = line.match(/^(\s*)expr: ?(.*)$/) ?? [];
    if (!rest) continue;
    if (!/^[|>]/.test(rest)) {
      exprs.push(rest);
      continue;
    }
    const body: string[] = [];
    for (const next of lines.slice(i + 1)) {
      if (next.trim() && !next.startsWith(`${indent} `)) break;
      body.push(next);
    }
    exprs.push(body.join('\n'));
  }
  return exprs;
}

/** Runs promtool; a missing binary is a failure that says how to install it. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const bin = process.env.PROMTOOL ?? 'promtool';
  const run = spawnSync(bin, args, { encoding: 'utf8', timeout: 20_000 });
  if (run.error) {
    throw new Error(`${bin} did not run (${run.error.message}): apt-get install prometheus, or set PROMTOOL`, {
      cause: run.error,
    });
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** Writes `content` as JSON (YAML is a superset, and promtool reads it) into the scratch folder. */
function scratchFile(name: string, content: unknown): string {
  const file = join(scratch, name);
  writeFileSync(file, JSON.stringify(content, null, 2));
  return file;
}

test('the metric list is what the collector declares on /metrics', () => {
  const declared = new CollectorMetrics()
    .render()
    .split('\n')
    .flatMap((line) => {
      const [, name, type] = line.match(/^# TYPE (\S+) (\S+)$/) ?? [];
      return name && type ? [[name, type]] : [];
    });
  expect(Object.fromEntries(declared)).toEqual({
    ...Object.fromEntries(Object.keys(counters).map((name) => [name, 'counter'])),
    ...Object.fromEntries(Object.keys(histograms).map((name) => [name, 'histogram'])),
  });
});

describe('the alert rules', () => {
  test('pass promtool check rules', () => {
    const { status, output } = promtool('check', 'rules', alertsFile);
    expect(output).toContain(`SUCCESS: ${alerts.match(/^\s*- alert: /gm)?.length} rules found`);
    expect(status).toBe(0);
  });

  test('use only metrics the collector exposes', () => {
    const exprs = alertExprs(alerts);
    expect(exprs).toHaveLength(alerts.match(/^\s*- alert: /gm)?.length ?? 0);
    const tokens = metricTokens(exprs.join('\n'));
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.filter((name) => !seriesOf.has(name))).toEqual([]);
  });

  test.each(Object.entries(scenarios))('fire as promtool test rules expects: %s', (name, { series: input, checks }) => {
    const file = scratchFile(`${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.test.yml`, {
      rule_files: [alertsFile],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: Object.entries(input).map(([s, values]) => ({ series: s, values })),
          promql_expr_test: checks.map(({ at, firing }) => ({
            expr: 'ALERTS{alertstate="firing"}',
            eval_time: at,
            exp_samples: firing.map((labels) => ({ labels: series('ALERTS', { alertstate: 'firing', ...labels }), value: 1 })),
          })),
        },
      ],
    });
    const { status, output } = promtool('test', 'rules', file);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });
});

describe('the Grafana dashboard', () => {
  test('is a schemaVersion 39 dashboard whose every panel and variable queries the data source of its DS_PROMETHEUS variable', () => {
    expect(dashboard).toMatchObject({ schemaVersion: 39, uid: 'webinfer', title: 'webinfer' });
    const [source, ...rest] = dashboard.templating.list;
    expect(source).toMatchObject({ name: 'DS_PROMETHEUS', type: 'datasource', query: 'prometheus' });
    for (const variable of rest) expect(variable.datasource).toEqual(prometheus);
    for (const panel of panels) expect(panel.datasource, panel.title).toEqual(prometheus);
    for (const { target } of targets) expect(target.datasource).toEqual(prometheus);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
  });

  test('has the variables model, version and backend, each from label_values of webinfer metrics and narrowed by the one before', () => {
    const variables = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    const labelValues = (name: string) => variables[name]?.query.match(/^label_values\((\{.*\}), (\w+)\)$/)?.slice(1) ?? [];
    expect(labelValues('model')[1]).toBe('model');
    expect(labelValues('version')[1]).toBe('version');
    expect(labelValues('version')[0]).toContain('model=~"$model"');
    expect(labelValues('backend')[1]).toBe('backend');
    expect(labelValues('backend')[0]).toContain('version=~"$version"');
    for (const name of ['model', 'version', 'backend']) {
      const tokens = metricTokens(labelValues(name)[0] ?? '');
      expect(tokens.length, name).toBeGreaterThan(0);
      expect(tokens.filter((t) => !seriesOf.has(t) || !modelLabelled.has(seriesOf.get(t) ?? ''))).toEqual([]);
    }
  });

  test('queries only metrics the collector exposes, filters the model-labelled ones by the variables, and shows every one', () => {
    const used = new Set<string>();
    for (const { panel, target } of targets) {
      const tokens = metricTokens(target.expr);
      expect(
        tokens.filter((name) => !seriesOf.has(name)),
        `${panel.title}: ${target.expr}`,
      ).toEqual([]);
      for (const name of tokens) {
        const metric = seriesOf.get(name) ?? '';
        used.add(metric);
        if (!modelLabelled.has(metric)) continue;
        for (const label of ['model', 'version', 'backend']) expect(target.expr, panel.title).toContain(`${label}=~"$${label}"`);
      }
    }
    expect([...used].sort()).toEqual([...Object.keys(counters), ...Object.keys(histograms)].sort());
  });

  test('has the panels an operator looks for', () => {
    const exprsOf = (title: RegExp) =>
      panels.filter((p) => title.test(p.title)).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    expect(exprsOf(/^Calls per second$/).join()).toMatch(/rate\(webinfer_runs_total/);
    for (const q of [0.5, 0.95, 0.99]) {
      expect(exprsOf(new RegExp(`^Call latency p${q * 100} by phase$`)).join()).toMatch(
        new RegExp(`^histogram_quantile\\(${q}, sum by \\(le, phase\\) \\(rate\\(webinfer_run_duration_seconds_bucket`),
      );
    }
    expect(exprsOf(/^Load time p95 by phase$/).join()).toMatch(
      /sum by \(le, phase\) \(rate\(webinfer_load_duration_seconds_bucket/,
    );
    expect(exprsOf(/^Anomalies by kind/).join()).toMatch(/sum by \(kind\)/);
    expect(exprsOf(/^Errors by code/).join()).toMatch(/sum by \(code\)/);
    expect(exprsOf(/^Backend mix$/).join()).toMatch(/sum by \(backend\)/);
    expect(exprsOf(/^Feedback accuracy/).join()).toMatch(/correct="true"/);
    for (const vital of ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']) {
      expect(exprsOf(new RegExp(`^${vital} p75$`)).join()).toMatch(/^histogram_quantile\(0\.75, /);
    }
    expect(exprsOf(/share poor/)).toHaveLength(5);
    expect(exprsOf(/^Long frames/).join()).toMatch(/during_inference="true"/);
    expect(exprsOf(/^Beacons/).join()).toMatch(/sum by \(reason\) \(rate\(webinfer_beacons_rejected_total/);
    expect(exprsOf(/^Telemetry dropped/).join()).toMatch(/webinfer_client_dropped_total/);
  });

  test('every query parses as PromQL (promtool check rules, Grafana variables replaced)', () => {
    const asPromQL = (expr: string) =>
      expr
        .replaceAll('$__rate_interval', '5m')
        .replaceAll('$__range', '6h')
        .replace(/\$(model|version|backend)\b/g, '.*');
    const variableSelectors = dashboard.templating.list.flatMap(
      (v) => v.query.match(/^label_values\((\{.*\}), \w+\)$/)?.[1] ?? [],
    );
    const rules = [
      ...targets.map(({ panel, target }) => ({
        record: `dashboard:panel_${panel.id}_${target.refId}`,
        expr: asPromQL(target.expr),
      })),
      ...variableSelectors.map((selector, i) => ({ record: `dashboard:variable_${i}`, expr: asPromQL(selector) })),
    ];
    expect(rules.length).toBeGreaterThan(20);
    const file = scratchFile('dashboard-queries.rules.yml', { groups: [{ name: 'dashboard', rules }] });
    const { status, output } = promtool('check', 'rules', file);
    expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
    expect(status).toBe(0);
  });
});
