#!/usr/bin/env node
// Package entry point: the compiled command line in dist/ (built by `npm run build`), polyfills first.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  console.error(`dan-node: ${new URL('../dist/', import.meta.url).pathname} is missing; run \`npm run build\` in ${new URL('..', import.meta.url).pathname}`);
  process.exit(1);
}
await import('../dist/polyfill.js');
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
