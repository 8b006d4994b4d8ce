// The coordinator process survives a rejection nobody handled (a bug in request handling): it
// logs it and goes on serving. Real node processes; the rejection is injected into the
// coordinator's process by a harness loaded with --import (nothing in src/ knows about it).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { keccak256, recoverAddress, toHex } from 'viem';
import { startCluster, type Cluster } from '../helpers/cluster.ts';

const HARNESS = fileURLToPath(new URL('./harness/unhandled.mjs', import.meta.url));

describe('a rejection nobody handled', () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2, nodeProcess: (i) => (i === 0 ? { execArgv: ['--import', HARNESS] } : {}) });
  });
  after(() => cluster?.cleanup());

  it('is logged; the coordinator stays up and signs', async () => {
    const client = cluster.client();
    const key = await client.keyGen({ threshold: 2 });
    const pid = cluster.nodes[0].pid;
    process.kill(pid, 'SIGUSR2');
    let logged = false;
    for (let i = 0; i < 50 && !logged; i++) {
      await new Promise((r) => setTimeout(r, 100));
      logged = readFileSync(cluster.nodes[0].log, 'utf8').includes('injected unhandled rejection');
    }
    assert.ok(logged, 'the rejection is in the log');
    assert.doesNotThrow(() => process.kill(pid, 0), 'the coordinator process is alive');
    const digest = keccak256(toHex('after an unhandled rejection'));
    const sig = await client.sign({ keyId: key.keyId, digest });
    assert.equal(await recoverAddress({ hash: digest, signature: sig.signature }), key.address);
  });
});
