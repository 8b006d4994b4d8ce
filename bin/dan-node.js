#!/usr/bin/env node
// Package entry point: loads TypeScript through tsx, then the polyfills, then the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/polyfill.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
