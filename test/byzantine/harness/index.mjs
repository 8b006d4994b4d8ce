// Entry of the misbehaving-node harness (tests only): `node --import <this file> bin/dan-node.js
// start ...` turns a real node process into a byzantine one. It loads TypeScript through tsx, then
// patches the node's own classes (network, engine) in this process according to DAN_BYZANTINE
// (see behaviours.ts). Nothing in src/ imports it and no configuration reaches it: only a process
// started with this --import misbehaves.
import { register } from 'tsx/esm/api';

register();
await import('../../../src/polyfill.ts');
await import('./behaviours.ts');
