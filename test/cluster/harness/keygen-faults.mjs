// Entry of the key-generation fault harness (tests only): `node --import <this file>
// bin/dan-node.js start ...` lets a test kill a real node process at a chosen step of key
// generation (see keygen-faults.ts). Nothing in src/ imports it: only a process started with this
// --import can be made to fail.
import { register } from 'tsx/esm/api';

register();
await import('../../../src/polyfill.ts');
await import('./keygen-faults.ts');
