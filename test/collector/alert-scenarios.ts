/** Scenarios for the collector's Prometheus alert rules, run through `promtool test rules` by `ops.test.ts`. */
const vad = { model: 'vad', version: '5.0.0', backend: 'webgpu' };
export const series = (name: string, labels: Record<string, string> = {}) =>
  `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')}}`;
const alert = (alertname: string, severity: string, labels: Record<string, string> = {}) => ({
  alertname,
  severity,
  ...labels,
});
/** Counters sampled every minute, and which alerts are firing at the given times (exactly those). */
export const scenarios: Record<
  string,
  { series: Record<string, string>; checks: Array<{ at: string; firing: Array<Record<string, string>> }> }
> = {
  'p95 call latency above 1 s for 10 minutes, per model, and only the total phase': {
    series: {
      [series('webinfer_run_duration_seconds_bucket', { ...vad, phase: 'total', le: '0.8192' })]: '0x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, phase: 'total', le: '1.6384' })]: '0+60x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, phase: 'total', le: '+Inf' })]: '0+60x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, model: 'fast', phase: 'total', le: '0.1024' })]: '0+60x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, model: 'fast', phase: 'total', le: '+Inf' })]: '0+60x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, model: 'fast', phase: 'queue', le: '1.6384' })]: '0+60x30',
      [series('webinfer_run_duration_seconds_bucket', { ...vad, model: 'fast', phase: 'queue', le: '+Inf' })]: '0+60x30',
    },
    checks: [
      { at: '5m', firing: [] },
      { at: '20m', firing: [alert('WebinferLatencyP95High', 'warning', vad)] },
    ],
  },
  'non-finite outputs and drift at once; a spike of another kind only past 5 in 10 minutes': {
    series: {
      [series('webinfer_anomalies_total', { ...vad, kind: 'non-finite' })]: '0 0 0 1x20',
      [series('webinfer_anomalies_total', { ...vad, kind: 'drift' })]: '0 1x20',
      [series('webinfer_anomalies_total', { ...vad, kind: 'latency' })]: '0 0 4x20',
      [series('webinfer_anomalies_total', { ...vad, kind: 'canary' })]: '0 0+3x20',
    },
    checks: [
      { at: '1m', firing: [alert('WebinferDrift', 'warning', { ...vad, kind: 'drift' })] },
      {
        at: '10m',
        firing: [
          alert('WebinferNonFiniteOutputs', 'critical', { ...vad, kind: 'non-finite' }),
          alert('WebinferDrift', 'warning', { ...vad, kind: 'drift' }),
          alert('WebinferAnomalySpike', 'warning', { ...vad, kind: 'canary' }),
        ],
      },
    ],
  },
  'an anomaly kind at its usual rate of the day before is no spike; three times that is': {
    series: {
      [series('webinfer_anomalies_total', { ...vad, kind: 'latency' })]: '0+1x1500',
      [series('webinfer_anomalies_total', { ...vad, kind: 'out-of-range' })]: '0+1x1440 1441+4x60',
    },
    checks: [{ at: '1470m', firing: [alert('WebinferAnomalySpike', 'warning', { ...vad, kind: 'out-of-range' })] }],
  },
  'over 5 % of calls failing, including a version whose every call fails': {
    series: {
      [series('webinfer_runs_total', vad)]: '0+100x30',
      [series('webinfer_run_errors_total', { ...vad, code: 'call-timeout' })]: '0+10x30',
      [series('webinfer_runs_total', { ...vad, version: '5.0.1' })]: '0+100x30',
      [series('webinfer_run_errors_total', { ...vad, version: '5.0.1', code: 'call-timeout' })]: '0+1x30',
      [series('webinfer_run_errors_total', { ...vad, version: '6.0.0', code: 'backend-unavailable' })]: '0+5x30',
    },
    checks: [
      {
        at: '20m',
        firing: [
          alert('WebinferErrorRateHigh', 'critical', vad),
          alert('WebinferErrorRateHigh', 'critical', { ...vad, version: '6.0.0' }),
        ],
      },
    ],
  },
  'accuracy below 0.9 where at least 50 rows were judged, including a version never right': {
    series: {
      [series('webinfer_feedback_rows_total', { ...vad, correct: 'true' })]: '0+80x60',
      [series('webinfer_feedback_rows_total', { ...vad, correct: 'false' })]: '0+20x60',
      [series('webinfer_feedback_rows_total', { ...vad, version: 'never', correct: 'false' })]: '0+10x60',
      [series('webinfer_feedback_rows_total', { ...vad, version: 'few', correct: 'true' })]: '0x60',
      [series('webinfer_feedback_rows_total', { ...vad, version: 'few', correct: 'false' })]: '0x30 1x30',
      [series('webinfer_feedback_rows_total', { ...vad, version: 'good', correct: 'true' })]: '0+95x60',
      [series('webinfer_feedback_rows_total', { ...vad, version: 'good', correct: 'false' })]: '0+5x60',
    },
    checks: [
      { at: '20m', firing: [] },
      {
        at: '45m',
        firing: [
          alert('WebinferAccuracyDrop', 'warning', vad),
          alert('WebinferAccuracyDrop', 'warning', { ...vad, version: 'never' }),
        ],
      },
    ],
  },
  'a collector down for 2 minutes; over 10 % of beacons rejected for 15': {
    series: {
      [series('up', { job: 'webinfer-collector', instance: 'a:8787' })]: '0x30',
      [series('up', { job: 'webinfer-collector', instance: 'b:8787' })]: '1x30',
      [series('webinfer_beacons_received_total', { instance: 'b:8787' })]: '0+100x30',
      [series('webinfer_beacons_rejected_total', { instance: 'b:8787', reason: 'rate-limited' })]: '0+20x30',
    },
    checks: [
      { at: '1m', firing: [] },
      {
        at: '20m',
        firing: [
          alert('WebinferCollectorDown', 'critical', { job: 'webinfer-collector', instance: 'a:8787' }),
          alert('WebinferBeaconsRejected', 'warning'),
        ],
      },
    ],
  },
  'a few rejected beacons, or none at all, are no alert': {
    series: {
      [series('webinfer_beacons_received_total', { instance: 'a' })]: '0+100x30',
      [series('webinfer_beacons_duplicate_total', { instance: 'a' })]: '0+10x30',
      [series('webinfer_beacons_rejected_total', { instance: 'a', reason: 'schema' })]: '0+5x30',
      [series('webinfer_beacons_received_total', { instance: 'b' })]: '0+100x30',
    },
    checks: [{ at: '20m', firing: [] }],
  },
  'over a quarter of LCPs poor for 30 minutes, with the bound as "4" or as Prometheus 3 writes it, "4.0"': {
    series: {
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'a', le: '2.5' })]: '0+5x60',
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'a', le: '4' })]: '0+6x60',
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'a', le: '+Inf' })]: '0+10x60',
      [series('webinfer_web_vital_lcp_seconds_count', { instance: 'a' })]: '0+10x60',
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'b', le: '4.0' })]: '0+6x60',
      [series('webinfer_web_vital_lcp_seconds_count', { instance: 'b' })]: '0+10x60',
    },
    checks: [
      { at: '20m', firing: [] },
      { at: '45m', firing: [alert('WebinferPoorLCP', 'warning')] },
    ],
  },
  'a tenth of LCPs poor (the bound as "4" from one instance, "4.0" from another), or a quarter of too few pages, is no alert': {
    series: {
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'a', le: '4' })]: '0+9x60',
      [series('webinfer_web_vital_lcp_seconds_count', { instance: 'a' })]: '0+10x60',
      [series('webinfer_web_vital_lcp_seconds_bucket', { instance: 'b', le: '4.0' })]: '0+9x60',
      [series('webinfer_web_vital_lcp_seconds_count', { instance: 'b' })]: '0+10x60',
      [series('webinfer_web_vital_inp_seconds_bucket', { le: '0.5' })]: '0+1x60',
      [series('webinfer_web_vital_inp_seconds_count')]: '0+10x60',
    },
    checks: [{ at: '45m', firing: [] }],
  },
  'a quarter of LCPs poor among fewer than 20 pages in 30 minutes is no alert': {
    series: {
      [series('webinfer_web_vital_lcp_seconds_bucket', { le: '4' })]: '0+0.25x90',
      [series('webinfer_web_vital_lcp_seconds_count')]: '0+0.5x90',
    },
    checks: [{ at: '80m', firing: [] }],
  },
};
