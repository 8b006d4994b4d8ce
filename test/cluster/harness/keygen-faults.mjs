// Entry of the key-generation fault harness (tests only): `node --import <this file>
// bin/dan-node.js start ...` lets a test kill a real node process at a chosen step of key
// generation (see keygen-faults.ts). Nothing in src/ imports it: only a process started with this
// --import can be made to fail.
import { isMainThread } from 'node:worker_threads';

// Worker threads inherit the flag: only the main thread (where the store is used) is patched.
if (isMainThread) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../../../dist/polyfill.js');
  await import('./keygen-faults.ts');
}
