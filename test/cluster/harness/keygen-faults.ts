// Kills this node process (SIGKILL, itself) at one step of key generation, once, when the test
// orders it: the test writes HOME/keygen-fault.json = { fault } and the next matching step fires
// (the order file is removed first, so a restarted node runs normally). Every firing is logged to
// HOME/keygen-fault.jsonl before the kill. Faults:
// - die-before-store: the DKG finished here, the node dies before storing its key (the other
//   parties, given FAULT_DELAY_MS to finish theirs, store it pending);
// - die-after-store: the node stores its key pending, then dies before replying;
// - die-on-commit: the node dies when asked to commit its pending key (after every party replied).
// It patches the store class this process runs (NodeStore.prototype of the build), nothing else.
import { appendFileSync, existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { builtModule } from '../../helpers/built.ts';

const { NodeStore } = await builtModule<typeof import('../../../src/store/index.ts')>('store/index.js');
type NodeStore = import('../../../src/store/index.ts').NodeStore;

export type KeyGenFault = 'die-before-store' | 'die-after-store' | 'die-on-commit';

/** How long a dying node waits first, so that the other parties finish their DKG meanwhile. */
const FAULT_DELAY_MS = 1500;

const home = process.argv[process.argv.indexOf('--home') + 1];
const orderFile = join(home, 'keygen-fault.json');

/** Takes the order if it is `fault` (one shot). */
function ordered(fault: KeyGenFault): boolean {
  if (!existsSync(orderFile)) return false;
  const order = JSON.parse(readFileSync(orderFile, 'utf8')) as { fault?: string };
  if (order.fault !== fault) return false;
  unlinkSync(orderFile);
  return true;
}

async function die(fault: KeyGenFault, keyId: string, delayMs: number): Promise<never> {
  if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  appendFileSync(join(home, 'keygen-fault.jsonl'), JSON.stringify({ at: Date.now(), fired: fault, keyId }) + '\n');
  process.kill(process.pid, 'SIGKILL');
  return new Promise<never>(() => {});
}

const store = NodeStore.prototype as unknown as Record<string, (this: NodeStore, ...args: any[]) => Promise<unknown>>;
const putPendingKey = store.putPendingKey;
const commitPendingKey = store.commitPendingKey;
if (typeof putPendingKey !== 'function' || typeof commitPendingKey !== 'function') {
  throw new Error('keygen-faults: this build has no pending keys (NodeStore.putPendingKey / commitPendingKey)');
}
store.putPendingKey = async function (this: NodeStore, k: { keyId: string }, ...rest: unknown[]) {
  if (ordered('die-before-store')) return die('die-before-store', k.keyId, FAULT_DELAY_MS);
  const stored = await putPendingKey.call(this, k, ...rest);
  if (ordered('die-after-store')) return die('die-after-store', k.keyId, FAULT_DELAY_MS);
  return stored;
};
store.commitPendingKey = async function (this: NodeStore, keyId: string, ...rest: unknown[]) {
  if (ordered('die-on-commit')) return die('die-on-commit', keyId, 0);
  return commitPendingKey.call(this, keyId, ...rest);
};
