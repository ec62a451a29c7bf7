#!/usr/bin/env node
// The committed entry npm links as `mtl-fd`. It exists before the build does, so npm
// can link it on a fresh clone; it only loads the build (dist/main.js), and says how
// to make it when it is missing.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write(
    `mtl-fd: the build is missing (${fileURLToPath(main)}): run 'npm run build' (or 'npx tsc -b') in the mtl-fd checkout\n`,
  );
  process.exit(2);
}
await import(main.href);
