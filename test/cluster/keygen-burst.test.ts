// A burst of 200 concurrent keyGens on a 2-of-3 network of real processes: each request either
// completes (admitted, queued) or is refused with BUSY (-32009, a retry hint) — none is left to
// time out; signing with an existing key goes on meanwhile; and afterwards every key exists on all
// of its parties or on none (read from each node's store), with nothing left pending. How fast the
// refusals come is measured by `dan-node bench --suite cluster` (keyGen burst), not asserted here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keccak256, recoverAddress, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { authorizeRequest } from '../../src/auth/index.ts';
import { startCluster } from '../helpers/cluster.ts';
import { post } from '../helpers/security.ts';

const BURST = 200;
/** Well past the admission deadline (20 s) plus a DKG: an answer later than this is a time-out. */
const ANSWERED_WITHIN_MS = 45_000;

describe('a burst of keyGens', () => {
  it('completes or refuses each at once, keeps signing, and leaves no half-made key', async (t) => {
    // Every client here shares 127.0.0.1: lift the per-client connection cap (tested on its own in
    // test/rpc/http-limits.test.ts) so that the burst reaches admission control.
    const cluster = await startCluster({ nodes: 3, threshold: 2, env: { DAN_NODE_POOL_DEPTH: '4' }, nodeConfig: () => ({ rpc: { maxConnectionsPerClient: 1024 } }) });
    try {
      const owner = privateKeyToAccount(generatePrivateKey());
      const client = cluster.client(owner);
      const key = await client.keyGen({ threshold: 2 });

      // Signed beforehand, so that the figures are the coordinator's answer times.
      const network = await client.network();
      const requests = await Promise.all(
        Array.from({ length: BURST }, async (_, i) => {
          const p = { threshold: 2, owner: owner.address, requestId: `burst-${i}` };
          return { ...p, auth: await authorizeRequest(owner, 'dan_keyGen', p, { network }) };
        }),
      );
      const outcomes: { ok: boolean; keyId?: string; code?: number; ms: number; message?: string }[] = [];
      const burst = Promise.all(
        requests.map(async (params) => {
          const t0 = performance.now();
          const { json } = await post(cluster.rpcUrl, { jsonrpc: '2.0', id: 1, method: 'dan_keyGen', params }, { signal: AbortSignal.timeout(60_000) });
          const ms = performance.now() - t0;
          outcomes.push(json.result ? { ok: true, keyId: json.result.keyId, ms } : { ok: false, code: json.error?.code, message: json.error?.message, ms });
        }),
      );
      // Signing goes on during the burst.
      let signed = 0;
      for (let i = 0; i < 5; i++) {
        const digest = keccak256(toHex(`during the burst ${i}`));
        const sig = await client.sign({ keyId: key.keyId, digest });
        assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), key.address);
        signed++;
      }
      await burst;

      const done = outcomes.filter((o) => o.ok);
      const refused = outcomes.filter((o) => !o.ok);
      const refusalMs = refused.map((o) => o.ms).sort((a, b) => a - b);
      const at = (q: number) => Math.round(refusalMs[Math.min(refusalMs.length - 1, Math.floor(refusalMs.length * q))] ?? 0);
      t.diagnostic(`${done.length} completed (slowest ${Math.round(Math.max(...done.map((o) => o.ms)))} ms), ${refused.length} refused (p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms), ${signed} signatures meanwhile`);
      assert.equal(outcomes.length, BURST);
      assert.ok(done.length >= 1, 'some keyGens complete');
      for (const o of refused) assert.equal(o.code, -32009, `a refusal is BUSY, not: ${o.code} ${o.message}`);
      for (const o of outcomes) assert.ok(o.ms < ANSWERED_WITHIN_MS, `answered after ${Math.round(o.ms)} ms: left to time out`);

      // The operator sees the refusals.
      const metrics = await (await fetch(`${cluster.nodes[0].opsUrl}/metrics`)).text();
      assert.match(metrics, new RegExp(`dan_admission_refused_total\\{what="keyGen"\\} ${refused.length}\\b`));

      // Every key on all three parties, or on none; nothing pending.
      await Promise.all([0, 1, 2].map((i) => cluster.kill(i, 'SIGTERM')));
      const expected = new Set([key.keyId, ...done.map((o) => o.keyId!)]);
      for (const i of [0, 1, 2]) {
        const store = await cluster.openStore(i);
        try {
          assert.deepEqual(new Set((await store.listKeys()).map((k) => k.keyId)), expected, `node ${i} holds exactly the keys clients got`);
          assert.deepEqual(await store.listPendingKeys(), [], `node ${i} has no key left pending`);
        } finally {
          await store.close();
        }
      }
    } finally {
      await cluster.cleanup();
    }
  });
});
