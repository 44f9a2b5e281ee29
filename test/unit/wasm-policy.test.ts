import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { isWebinferError } from '../../src/errors.js';

/** The check is kept per worker (module state): each test gets a fresh module, as a fresh worker would. */
let assertWasmAllowed: typeof import('../../src/session/wasm-policy.js').assertWasmAllowed;
beforeEach(async () => {
  vi.resetModules();
  ({ assertWasmAllowed } = await import('../../src/session/wasm-policy.js'));
});
afterEach(() => vi.unstubAllGlobals());

/** WebAssembly whose compiler throws `error`, as a browser enforcing a policy does. */
function refusing(error: Error) {
  vi.stubGlobal('WebAssembly', {
    ...WebAssembly,
    Module: class {
      constructor() {
        throw error;
      }
    },
  });
}

const thrown = (run: () => void) => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

test('where WebAssembly compiles, nothing is thrown', () => {
  expect(() => assertWasmAllowed()).not.toThrow();
});

test.each([
  [
    'Chromium',
    "WebAssembly.Module(): Compiling or instantiating WebAssembly module violates the following Content Security policy directive because 'unsafe-eval' is not an allowed source of script in the following Content Security Policy directive: \"script-src 'self'\".",
  ],
  ['Firefox', 'call to WebAssembly.Module() blocked by CSP'],
  ['Safari', "Refused to create a WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval' is not an allowed source"],
])('RELIABILITY 28: refused by a policy (%s): csp-blocked, naming the directive to add', (_, said) => {
  refusing(new WebAssembly.CompileError(said));
  const error = thrown(assertWasmAllowed);
  expect(isWebinferError(error)).toBe(true);
  expect(error).toMatchObject({
    name: 'BackendError',
    code: 'csp-blocked',
    details: { directive: 'script-src', missing: "'wasm-unsafe-eval'" },
  });
  expect((error as Error).message).toContain("add 'wasm-unsafe-eval' to its script-src");
  expect((error as Error).message).toContain(said);
});

test('the answer is kept: a second load is refused without compiling again', () => {
  let compiled = 0;
  vi.stubGlobal('WebAssembly', {
    Module: class {
      constructor() {
        compiled++;
        throw new Error('blocked by CSP');
      }
    },
  });
  for (let i = 0; i < 3; i++) expect(thrown(assertWasmAllowed)).toMatchObject({ code: 'csp-blocked' });
  expect(compiled).toBe(1);
});

test('no WebAssembly at all: backend-unavailable', () => {
  vi.stubGlobal('WebAssembly', undefined);
  expect(thrown(assertWasmAllowed)).toMatchObject({ name: 'BackendError', code: 'backend-unavailable' });
});

test('a compile failure that names no policy is passed on as it is', () => {
  refusing(new RangeError('out of memory'));
  const error = thrown(assertWasmAllowed);
  expect(error).toMatchObject({ code: 'backend-unavailable', message: expect.stringContaining('out of memory') });
});
