// Crash safety of the presignature pool: a child process (fixtures/crash-child.ts) adds and
// consumes presignatures in a loop and is SIGKILLed at a random moment, several times on the same
// database. After every kill the parent checks the raw database (pool records and index entries in
// pairs), then reopens the store and checks: it opens; no presignature is both in the pool and in
// the journal; everything the child reported added is in one of them; everything it reported
// consumed is journalled and gone from the pool; after the last kill every pooled record decrypts.
// Assumes: `node --import tsx` works from the repository root; SIGKILL leaves no chance to clean
// up (so LevelDB recovers from its log on reopen); stdout of the child is a pipe (synchronous).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Level } from 'level';
import { NodeStore } from '../../src/store/index.ts';
import { SECRET, tempRoot } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));
const KILLS = 5;

const tmp = tempRoot();
after(() => tmp.cleanup());

interface Run {
  added: Set<string>;
  consumed: Map<string, string>;
  opened: boolean;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Spawns the child, kills it `delayMs` after it reported "open", resolves when it is gone. */
function runAndKill(path: string, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const run: Run = { added: new Set(), consumed: new Map(), opened: false, signal: null, stderr: '' };
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, SECRET], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const [what, id, requestId] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        if (what === 'open') {
          run.opened = true;
          setTimeout(() => child.kill('SIGKILL'), delayMs);
        } else if (what === 'added') run.added.add(id);
        else if (what === 'consumed') run.consumed.set(id, requestId);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (c: string) => (run.stderr += c));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(guard);
      run.signal = signal;
      resolve(run);
    });
  });
}

/** Record and index entries of the pool come in pairs in the raw database (checked without the secret). */
async function assertPairs(path: string): Promise<void> {
  const raw = new Level<string, Uint8Array>(path, { keyEncoding: 'utf8', valueEncoding: 'view' });
  try {
    const records = (await raw.keys({ gt: '!presigs!', lt: '!presigs"' }).all()).map((k) => k.slice('!presigs!'.length));
    const index = (await raw.keys({ gt: '!presig-index!', lt: '!presig-index"' }).all()).map((k) => k.slice('!presig-index!'.length));
    assert.deepEqual(records, index, 'presignature records and index entries differ');
  } finally {
    await raw.close();
  }
}

describe('crash safety', () => {
  it(`presignatures survive ${KILLS} SIGKILLs mid-consume: pooled xor journalled, never both`, { timeout: 60_000 }, async (t) => {
    const path = tmp.db();
    const everAdded = new Set<string>();
    const everConsumed = new Map<string, string>();
    let consumedSeen = 0;

    for (let round = 0; round < KILLS; round++) {
      const delay = 5 + Math.floor(Math.random() * 120);
      const run = await runAndKill(path, delay);
      assert.ok(run.opened, `child did not open the store: ${run.stderr}`);
      assert.equal(run.signal, 'SIGKILL', `child ended by itself: ${run.stderr}`);
      for (const id of run.added) everAdded.add(id);
      for (const [id, r] of run.consumed) everConsumed.set(id, r);
      consumedSeen += run.consumed.size;

      t.diagnostic(`round ${round}: killed ${delay} ms after open; ${run.added.size} added, ${run.consumed.size} consumed`);
      await assertPairs(path);
      const store = await NodeStore.open({ path, secret: SECRET });
      try {
        const pooled = new Set((await store.listPresignatures('crash-key')).map((p) => p.id));
        const journalled = new Map<string, string>();
        for await (const [requestId, e] of store.journalEntries()) {
          assert.ok(e.presignatureId, `journal entry ${requestId} without presignature id`);
          assert.equal(requestId, `req-${e.presignatureId}`);
          assert.equal(e.requestHash, `hash-${e.presignatureId}`);
          assert.ok(!journalled.has(e.presignatureId!), `presignature ${e.presignatureId} journalled twice`);
          journalled.set(e.presignatureId!, requestId);
        }
        for (const id of pooled) assert.ok(!journalled.has(id), `presignature ${id} is both pooled and journalled (round ${round})`);
        for (const id of everAdded) assert.ok(pooled.has(id) || journalled.has(id), `presignature ${id} was lost (round ${round})`);
        for (const [id, requestId] of everConsumed) {
          assert.equal(journalled.get(id), requestId, `consumed ${id} has no journal entry (round ${round})`);
          assert.ok(!pooled.has(id));
        }
        // Everything still pooled is usable: its record decrypts (consume it here, as a node would on restart).
        if (round === KILLS - 1) {
          for (const id of pooled) {
            const rec = await store.consumePresignature('crash-key', id, { requestId: `after-${id}`, entry: { method: 'check', requestHash: 'x', createdAt: 0 } });
            assert.ok(rec && rec.length === 200, `pooled presignature ${id} has no usable record`);
          }
        }
      } finally {
        await store.close();
      }
    }
    assert.ok(consumedSeen > 0, 'the child never got to consume anything: kills came too early to test anything');
  });
});
