import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './cli-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command's flags parse to: strings and booleans by flag name, and the positionals. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * `parseArgs` in strict mode, with `--help` always accepted and every parse error (an unknown
 * flag, a missing value) turned into a `UsageError` that carries the command's usage text.
 */
export function parseCommandArgs(args: readonly string[], options: Options, usage: string): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    // Node's messages are already clear ("Unknown option '--frobnicate'"); keep them, drop the code.
    throw new UsageError((error as Error).message, usage);
  }
}

/** A string flag's value, or undefined when it was not given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string flag's values, in order; empty when it was not given. */
export function listFlag(args: ParsedArgs, name: string): readonly string[] {
  const value = args.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}
