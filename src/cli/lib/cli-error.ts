/**
 * Failures the CLI expects (a missing file, a bad flag) and reports as one line, without a stack
 * trace. Anything else that escapes a command is a bug and is printed in full.
 */

/** Exit codes: 1 when the work failed, 2 when the command line itself was wrong (as getopt tools do). */
export const exitCodes = { failure: 1, usage: 2 } as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: ExitCode;

  constructor(message: string, { exitCode = exitCodes.failure, cause }: { exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.exitCode = exitCode;
  }
}

/** A wrong command line; the entry point prints the usage after the message. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  /** The usage text of the command that was being parsed. */
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message, { exitCode: exitCodes.usage });
    this.usage = usage;
  }
}

/** Turns a file system error into one line naming the file, e.g. "no such file: model.onnx". */
export function fileError(error: unknown, file: string, doing = 'read'): CliError {
  const code = (error as { code?: unknown } | null)?.code;
  const why =
    code === 'ENOENT'
      ? doing === 'write'
        ? `cannot write ${file}: its folder does not exist`
        : `no such file: ${file}`
      : code === 'EISDIR'
        ? `${file} is a directory, not a file`
        : code === 'EACCES' || code === 'EPERM'
          ? `permission denied: cannot ${doing} ${file}`
          : code === 'EEXIST'
            ? `${file} already exists`
            : `cannot ${doing} ${file}: ${(error as Error | null)?.message ?? String(error)}`;
  return new CliError(why, { cause: error });
}
