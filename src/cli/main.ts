import { ManifestError } from '../errors.js';
import { CliError, exitCodes, UsageError } from './lib/cli-error.js';

type Command = (argv: readonly string[]) => Promise<void>;

/**
 * Each command is loaded when it runs: decoding ONNX (onnx-proto, protobufjs) costs ~170 ms of
 * start-up that `keygen` and `--help` have no use for.
 */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  manifest: async () => (await import('./commands/manifest.js')).manifest,
  keygen: async () => (await import('./commands/keygen.js')).keygen,
  collector: async () => (await import('./commands/collector.js')).collector,
};

export const mainUsage = `Usage: webinfer <command> [options]

Commands:
  manifest <model.onnx>   write a manifest for a model: inputs, outputs, files with size and SHA-256
  keygen                  make an Ed25519 key pair for signing manifests
  collector               start the collector: telemetry in, SQLite, Prometheus metrics out

Run \`webinfer <command> --help\` for a command's options.
`;

/**
 * Runs the `webinfer` command line and resolves to its exit code. Expected failures print one
 * line prefixed with the command (and the usage, for a wrong command line); only a bug prints a
 * stack trace.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  // Help that was asked for is output: stdout and success, as GNU tools do. Usage shown because
  // the command line was wrong goes to stderr with exit code 2.
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainUsage);
    return 0;
  }
  if (name === undefined) return usageFailure('webinfer', 'no command given', mainUsage);
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) return usageFailure('webinfer', `unknown command "${name}"`, mainUsage);
  const prefix = `webinfer ${name}`;
  try {
    await (await load())(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(prefix, error.message, error.usage);
    if (error instanceof CliError || error instanceof ManifestError) {
      process.stderr.write(`${prefix}: ${error.message}\n`);
      return error instanceof CliError ? error.exitCode : exitCodes.failure;
    }
    process.stderr.write(`${prefix}: unexpected error, please report it\n${(error as Error)?.stack ?? String(error)}\n`);
    return exitCodes.failure;
  }
}

function usageFailure(prefix: string, message: string, usage: string): number {
  process.stderr.write(`${prefix}: ${message}\n\n${usage}`);
  return exitCodes.usage;
}
