/**
 * A worker of the page's origin that tries what a strict CSP forbids (`new Function`), so the
 * test knows the policy reaches workers and that its record of violations would show one.
 */
const violations: { directive: string; blockedURI: string }[] = [];
self.addEventListener('securitypolicyviolation', (event) => {
  violations.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI });
});
self.addEventListener('message', () => {
  let outcome: string;
  try {
    outcome = String(new Function('return "evaluated"')());
  } catch (error) {
    outcome = `${(error as Error).name}: ${(error as Error).message}`;
  }
  // The event is queued after the throw: let it arrive before answering.
  setTimeout(() => self.postMessage({ outcome, violations }), 50);
});
