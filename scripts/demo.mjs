#!/usr/bin/env node
// npm run demo: runs the example app (examples/session-key-app.mjs) against the running devnet,
// after checking that there is one: its devnet.json exists, was written by a devnet that still runs,
// has a chain, and the coordinator answers. Each failed check says what to do.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const file = resolve(process.env.DEVNET_JSON ?? '.devnet/devnet.json');
const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (!existsSync(file)) fail(`${file} not found: start the devnet first (npm start) or set DEVNET_JSON`);
const devnet = JSON.parse(readFileSync(file, 'utf8'));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
if (typeof devnet.pid === 'number' && !alive(devnet.pid)) fail(`${file} is stale: the devnet that wrote it (pid ${devnet.pid}) no longer runs; start it with npm start`);
if (!devnet.chain) fail('this devnet runs without a chain (--no-chain); start it with npm start');
try {
  await fetch(new URL('/healthz', devnet.rpcUrl), { signal: AbortSignal.timeout(5000) });
} catch (e) {
  fail(`the devnet's coordinator does not answer at ${devnet.rpcUrl} (${e.cause?.code ?? e.message}); is the devnet running? (npm start)`);
}
process.env.DEVNET_JSON = file;
await import('../examples/session-key-app.mjs');
