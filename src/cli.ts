#!/usr/bin/env node
// `bulwark sign | verify`: webhook debugging from the shell. The commands land with the
// webhook capability; until then the binary explains itself instead of failing obscurely.
const [command] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h') {
  process.stdout.write(
    'usage: bulwark <command>\n\ncommands land with webhook support: sign, verify\n',
  );
  process.exit(0);
}
process.stderr.write(`bulwark: unknown command ${JSON.stringify(command)}; run bulwark --help\n`);
process.exit(2);
