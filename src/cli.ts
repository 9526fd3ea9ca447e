#!/usr/bin/env node
// `bulwark sign | verify`: webhook debugging from the shell. The logic lives in ./cli/;
// this file only binds it to the process.
import { main } from './cli/main.js';

main(process.argv.slice(2), {
  stdin: process.stdin,
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bulwark: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 70;
  },
);
