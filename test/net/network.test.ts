// The peer network between two real libp2p hosts on 127.0.0.1: when the connection to a peer
// closes, the calls in flight to it fail at once with PEER_UNAVAILABLE (not at their time-out),
// `onPeerLost` handlers run, and a later call works once the peer is back.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { peerIdFromPrivateKey } from '@libp2p/peer-id';
import { silentLogger } from '../../src/log/logger.ts';
import { NetError } from '../../src/net/errors.ts';
import { PeerNetwork } from '../../src/net/network.ts';
import { freePort } from '../helpers/cluster.ts';

describe('peer network', () => {
  const started: PeerNetwork[] = [];
  after(() => Promise.all(started.map((n) => n.stop())));

  it('fails calls in flight at once when the connection closes, and tells onPeerLost', async () => {
    const [portA, portB] = [await freePort(), await freePort()];
    const keys = [await generateKeyPair('Ed25519'), await generateKeyPair('Ed25519')];
    const ids = keys.map((k) => peerIdFromPrivateKey(k).toString());
    const operators = [
      { peerId: ids[0], addrs: [`/ip4/127.0.0.1/tcp/${portA}`] },
      { peerId: ids[1], addrs: [`/ip4/127.0.0.1/tcp/${portB}`] },
    ];
    const start = (i: number) => PeerNetwork.start({ privateKey: keys[i], listen: [operators[i].addrs[0]], operators, logger: silentLogger });
    const a = await start(0);
    let b = await start(1);
    started.push(a);
    b.setCallHandler(async (_from, method) => (method === 'hang' ? new Promise(() => {}) : 'pong'));
    assert.equal(await a.call(ids[1], 'ping', {}, 10_000), 'pong');
    const lost: string[] = [];
    a.onPeerLost((peer) => lost.push(peer));

    const t0 = performance.now();
    const hanging = a.call(ids[1], 'hang', {}, 60_000);
    await new Promise((r) => setTimeout(r, 200));
    await b.stop();
    await assert.rejects(hanging, (e: unknown) => {
      assert.ok(e instanceof NetError && e.code === 'PEER_UNAVAILABLE', String(e));
      assert.match(e.message, /closed before it answered hang/);
      return true;
    });
    assert.ok(performance.now() - t0 < 30_000, 'failed long before the 60 s time-out');
    assert.deepEqual(lost, [ids[1]]);

    b = await start(1);
    started.push(b);
    b.setCallHandler(async () => 'back');
    let answer: unknown;
    for (let i = 0; i < 50 && answer === undefined; i++) {
      answer = await a.call(ids[1], 'ping', {}, 2_000).catch(() => new Promise((r) => setTimeout(() => r(undefined), 200)));
    }
    assert.equal(answer, 'back');
  });
});
