// Fails the build when package.json `exports`/`bin` and the tsup entry list disagree, so a
// new entry point cannot ship without its export (or an export point at nothing).
import { readFileSync, existsSync } from 'node:fs';
import { entries } from './entries.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const problems = [];
const exported = new Set(Object.keys(pkg.exports ?? {}).filter((k) => k !== './package.json'));

for (const e of entries) {
  if (!existsSync(new URL(`../${e.source}`, import.meta.url))) {
    problems.push(`entry "${e.name}": source ${e.source} does not exist`);
  }
  if (e.subpath !== null) {
    const want = {
      import: { types: `./dist/${e.name}.d.ts`, default: `./dist/${e.name}.js` },
      require: { types: `./dist/${e.name}.d.cts`, default: `./dist/${e.name}.cjs` },
    };
    const got = pkg.exports?.[e.subpath];
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      problems.push(
        `exports["${e.subpath}"] should be ${JSON.stringify(want)}, found ${JSON.stringify(got)}`,
      );
    }
    exported.delete(e.subpath);
  }
  if (e.bin !== undefined && pkg.bin?.[e.bin] !== `./dist/${e.name}.js`) {
    problems.push(`bin["${e.bin}"] should be "./dist/${e.name}.js"`);
  }
}
for (const extra of exported) {
  problems.push(`exports["${extra}"] has no entry in scripts/entries.js`);
}
if (problems.length > 0) {
  console.error(`package.json and scripts/entries.js disagree:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`entries ok: ${entries.length} entry points match package.json`);
