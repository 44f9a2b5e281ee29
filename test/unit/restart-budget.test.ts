import { expect, test } from 'vitest';
import { RestartBudget } from '../../src/lib/restart-budget.js';

const policy = { maxRestarts: 3, windowMs: 10_000, baseDelayMs: 100, maxDelayMs: 300 };

test('the first restart is immediate; later ones back off, with jitter, up to the cap', () => {
  let now = 0;
  const budget = new RestartBudget(policy, () => now);
  expect(budget.next(() => 0.5)).toBe(0);
  // Within [ceiling / 2, ceiling]: 100, then 200.
  expect(budget.next(() => 0)).toBe(50);
  expect(budget.next(() => 1)).toBe(200);
  expect(budget.recent).toBe(3);
  now = 1_000;
  expect(budget.next()).toBeUndefined();
});

test('restarts older than the window no longer count', () => {
  let now = 0;
  const budget = new RestartBudget(policy, () => now);
  for (let i = 0; i < 3; i++) budget.next();
  expect(budget.next()).toBeUndefined();
  now = 10_001;
  expect(budget.recent).toBe(0);
  expect(budget.next()).toBe(0);
});

test('with no restarts allowed the first loss gives up', () => {
  expect(new RestartBudget({ ...policy, maxRestarts: 0 }, () => 0).next()).toBeUndefined();
});
