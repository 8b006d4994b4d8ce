// Chaos: a signing load on 2-of-3 and 3-of-5 networks of real processes while nodes are SIGKILLed
// and restarted one after another, and once the coordinator itself. Clients retry a failed request
// with the same requestId until their deadline, as a careful client does. Asserts: no process exits
// unless we killed it; every signature returned verifies; no r value is ever used twice; a
// requestId never yields two different signatures; and the only requests that fail are ones
// issued while the coordinator was down (a quorum of signers is up all the time otherwise).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { RpcError } from '../../src/rpc/index.ts';

const WORKERS = 6;
/** A client gives a request this long (retrying with the same requestId) before it counts as failed. */
const REQUEST_DEADLINE_MS = 20_000;

interface Outcome {
  requestId: string;
  issuedAt: number;
  signatures: Set<Hex>;
  failed?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function chaos(n: number, t: number, diagnostic: (s: string) => void): Promise<void> {
  const cluster: Cluster = await startCluster({ nodes: n, threshold: t, env: { DAN_NODE_POOL_DEPTH: '8' } });
  try {
    const client = cluster.client();
    const key = await client.keyGen({ threshold: t });
    const down = new Set<number>(); // nodes we killed and have not restarted yet
    const coordinatorDown: [number, number][] = [];
    const unexpectedExits: string[] = [];
    const monitor = setInterval(() => {
      cluster.nodes.forEach((node, i) => {
        if (!down.has(i) && !isAlive(node.pid)) unexpectedExits.push(`node ${i} (pid ${node.pid})`);
      });
    }, 100);

    // The load: every request retried with its requestId until it succeeds or its deadline passes.
    const outcomes: Outcome[] = [];
    let running = true;
    let seq = 0;
    const worker = async () => {
      while (running) {
        const o: Outcome = { requestId: `chaos-${n}-${seq}`, issuedAt: Date.now(), signatures: new Set() };
        const digest = keccak256(toHex(`chaos ${n} ${seq++}`));
        outcomes.push(o);
        for (;;) {
          try {
            const sig = await client.sign({ keyId: key.keyId, digest, requestId: o.requestId });
            assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), key.address, 'a returned signature verifies');
            o.signatures.add(sig.signature);
            break;
          } catch (e) {
            if (e instanceof assert.AssertionError) throw e;
            if (Date.now() - o.issuedAt > REQUEST_DEADLINE_MS) {
              o.failed = e instanceof RpcError ? `${e.code} ${e.message}` : (e as Error).message;
              break;
            }
            await sleep(100);
          }
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));

    // Kill and restart every signer but the coordinator in turn, then the coordinator once.
    for (let i = 1; i < n; i++) {
      await sleep(1500);
      down.add(i);
      await cluster.kill(i);
      await sleep(1500);
      await cluster.restart(i);
      down.delete(i);
      await waitConnected(cluster, n);
    }
    await sleep(1000);
    const killedAt = Date.now();
    down.add(0);
    await cluster.kill(0);
    await sleep(1000);
    await cluster.restart(0);
    down.delete(0);
    coordinatorDown.push([killedAt, Date.now()]);
    await waitConnected(cluster, n);
    await sleep(1500);
    running = false;
    await load;
    clearInterval(monitor);

    const done = outcomes.filter((o) => o.signatures.size > 0);
    const failed = outcomes.filter((o) => o.failed);
    diagnostic(`${n} nodes: ${outcomes.length} requests, ${done.length} signed, ${failed.length} failed`);
    assert.deepEqual(unexpectedExits, [], 'no process exited unless killed');
    assert.ok(done.length >= 50, `enough signatures to mean something (${done.length})`);
    for (const o of outcomes) assert.ok(o.signatures.size <= 1, `requestId ${o.requestId} yielded ${o.signatures.size} signatures`);
    const rs = done.map((o) => [...o.signatures][0].slice(0, 66));
    assert.equal(new Set(rs).size, rs.length, 'no r value is used twice');
    const whileCoordinatorDown = (o: Outcome) => coordinatorDown.some(([from, to]) => o.issuedAt >= from - REQUEST_DEADLINE_MS && o.issuedAt <= to);
    const unexplained = failed.filter((o) => !whileCoordinatorDown(o));
    assert.deepEqual(unexplained.map((o) => `${o.requestId}: ${o.failed}`), [], 'requests fail only while the coordinator is down');
  } finally {
    await cluster.cleanup();
  }
}

describe('chaos: nodes killed and restarted under a signing load', () => {
  it('2-of-3', async (t) => chaos(3, 2, (s) => t.diagnostic(s)));
  it('3-of-5', async (t) => chaos(5, 3, (s) => t.diagnostic(s)));
});
