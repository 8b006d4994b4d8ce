// Entry of the misbehaving-node harness (tests only): `node --import <this file> bin/dan-node.js
// start ...` turns a real node process into a byzantine one. It loads TypeScript through tsx, then
// patches the node's own classes (network, engine: the build in dist/ that the node runs) in this
// process according to DAN_BYZANTINE (see behaviours.ts). Nothing in src/ imports it and no
// configuration reaches it: only a process started with this --import misbehaves. Worker threads
// inherit the flag; the engine threads are left alone (what the harness patches runs on the main thread).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../../../dist/polyfill.js');
  await import('./behaviours.ts');
}
