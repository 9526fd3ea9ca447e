import { UsageError } from './args.js';
import { EXIT, InputError } from './io.js';
import type { CliIo } from './io.js';
import { runSign, SIGN_USAGE } from './sign.js';
import { runVerify, VERIFY_USAGE } from './verify.js';

export const MAIN_USAGE = `usage: bulwark <command> [options]

Webhook debugging from the shell.

commands:
  sign     sign a body and print the headers and a ready curl command
  verify   check a received delivery and explain why it fails

Run bulwark <command> --help for the options of each.

exit codes: 0 success, 1 verify: the delivery does not verify, 2 usage error,
            3 an input file could not be read, 70 internal error (a bug: please report it)
`;

/** Runs `bulwark` with `argv` (without node and the script); resolves the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(MAIN_USAGE);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const run = command === 'sign' ? runSign : command === 'verify' ? runVerify : undefined;
  if (run === undefined) {
    io.err(`bulwark: unknown command ${JSON.stringify(command)}; run bulwark --help\n`);
    return EXIT.usage;
  }
  try {
    return await run(rest, io);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.err(
        `bulwark ${command}: ${error.message}\n\n${command === 'sign' ? SIGN_USAGE : VERIFY_USAGE}`,
      );
      return EXIT.usage;
    }
    if (error instanceof InputError) {
      io.err(`bulwark ${command}: ${error.message}\n`);
      return EXIT.input;
    }
    throw error;
  }
}
