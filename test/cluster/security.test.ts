// Security of a running 2-of-3 network, through real node processes on 127.0.0.1:
// 1. the coordinator refuses unauthenticated, wrongly signed, expired and conflicting requests,
//    answers a replay with the same signature, and lets an authorized signer sign;
// 2. the nodes themselves refuse forged instructions from a legitimate peer (the test process
//    takes node 2's identity and address) and never let one presignature sign two digests;
// 3. a peer outside the operator allow-list cannot connect;
// 4. malformed JSON-RPC gets clear errors and the server keeps serving;
// 5. the raw database files hold no key share, OT seed or encoded share in clear.
// Plus: idempotency and REQUEST_CONFLICT after the coordinator restarts.
// One cluster for the whole file; the cases run in order and part 5 checks what 1-4 left behind.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { bytesToHex, keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { generateKeyPair } from '@libp2p/crypto/keys';
import { contentDigest, keyGenMessage } from '../../src/auth/index.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { NetError, RemoteError } from '../../src/net/errors.ts';
import { loadIdentity } from '../../src/net/identity.ts';
import { PeerNetwork, type Operator } from '../../src/net/network.ts';
import { NodeMethod, type SignReply } from '../../src/node/api.ts';
import { deriveKeyId } from '../../src/requests/index.ts';
import { DEVNET_NETWORK } from '../../src/cli/devnet.ts';
import type { DanParams, KeyGenResult, SignResult } from '../../src/rpc/index.ts';
import { decodeKeyShare } from '../../src/tss/index.ts';
import { encodeScalar } from '../../src/tss/math/scalar.ts';
import { startCluster, waitConnected, type Cluster } from '../helpers/cluster.ts';
import { assertRefused, assertRpcError, filesContaining, get, highEntropyWindow, post, readTree, resultOf, rpc, signed, withLeveldbViews, type RawFile } from '../helpers/security.ts';

const UNAUTHORIZED = -32001;
const REQUEST_CONFLICT = -32005;

const owner = privateKeyToAccount(generatePrivateKey());
const other = privateKeyToAccount(generatePrivateKey()); // authorized signer of the second key
const stranger = privateKeyToAccount(generatePrivateKey());

const now = () => Math.floor(Date.now() / 1000);
const digestOf = (tag: string) => keccak256(toHex(`security ${tag}`));
const rid = (tag: string) => `${tag}-${randomUUID()}`;
const randomHex32 = () => bytesToHex(randomBytes(32));

interface NodeConfigFile {
  listen: string[];
  operators: Operator[];
  rpc: { maxBodyBytes: number };
}

describe('security of a 2-of-3 cluster', { timeout: 240_000 }, () => {
  let cluster: Cluster;
  let url: string;
  let key: KeyGenResult; // owner's key
  let key2: KeyGenResult; // owner's key with `other` as authorized signer
  let keyGenRequest: DanParams<'dan_keyGen'>; // the owner's signed request, captured
  const keyIds: string[] = [];
  /** requestId of the replayed dan_sign: one presignature, ever, across all nodes. */
  let replayRequestId = '';
  /** A dan_sign the coordinator served, replayed to node 1 by a peer in part 2. */
  let served: { params: DanParams<'dan_sign'>; result: SignResult } | undefined;
  /** Presignatures of node 1 that part 2 made it consume directly, with the digest they signed. */
  const consumedByPeer: { presignatureId: string; digest: Hex }[] = [];

  const signedSign = (account: typeof owner, keyId: string, digest: Hex, requestId = rid('sign'), opts?: Parameters<typeof signed>[3]) =>
    signed(account, 'dan_sign', { keyId, digest, requestId }, opts);

  const rpcSign = async (params: DanParams<'dan_sign'>, address: string): Promise<SignResult> => {
    const res = resultOf<SignResult>(await rpc(url, 'dan_sign', params));
    assert.equal(await recoverAddress({ hash: params.digest, signature: res.signature }), address, 'signature recovers to the key address');
    return res;
  };

  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2 });
    url = cluster.rpcUrl.replace(/\/?$/, '/');
    keyGenRequest = await signed(owner, 'dan_keyGen', { threshold: 2, owner: owner.address, requestId: rid('keygen') });
    key = resultOf<KeyGenResult>(await rpc(url, 'dan_keyGen', keyGenRequest));
    assert.match(key.publicKey, /^0x0[23][0-9a-f]{64}$/);
    keyIds.push(key.keyId);
  });
  after(() => cluster?.cleanup());

  // ---- 1. the coordinator refuses -------------------------------------------------------------

  describe('coordinator', () => {
    it('refuses dan_sign without auth (missing_auth)', async () => {
      const r = await rpc(url, 'dan_sign', { keyId: key.keyId, digest: digestOf('no auth'), requestId: rid('noauth') });
      assertRpcError(r, { code: UNAUTHORIZED, reason: 'missing_auth', field: 'auth' });
    });

    it('refuses dan_sign signed by a stranger (signer_not_allowed)', async () => {
      const r = await rpc(url, 'dan_sign', await signedSign(stranger, key.keyId, digestOf('stranger')));
      assertRpcError(r, { code: UNAUTHORIZED, reason: 'signer_not_allowed', field: 'auth.signer' });
    });

    it('refuses a valid auth presented for another digest, or a signature that is not the claimed signer (bad_signature)', async () => {
      const p = await signedSign(owner, key.keyId, digestOf('signed'));
      assertRpcError(await rpc(url, 'dan_sign', { ...p, digest: digestOf('swapped') }), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'other digest');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, requestId: rid('swapped') }), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'other requestId');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, auth: { ...p.auth, expiry: p.auth.expiry + 1 } }), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'other expiry');
      const forged = await signedSign(stranger, key.keyId, digestOf('claims owner'));
      assertRpcError(await rpc(url, 'dan_sign', { ...forged, auth: { ...forged.auth, signer: owner.address } }), { code: UNAUTHORIZED, reason: 'bad_signature' }, 'claims owner');
      // The untouched request still signs: the refusals above were about the tampering only.
      await rpcSign(p, key.address);
    });

    it('refuses an expired auth (expired) and malformed auths (malformed_auth)', async () => {
      const expired = await signedSign(owner, key.keyId, digestOf('expired'), rid('expired'), { expiry: now() - 60 });
      assertRpcError(await rpc(url, 'dan_sign', expired), { code: UNAUTHORIZED, reason: 'expired' });
      const tooLong = await signedSign(owner, key.keyId, digestOf('lifetime'), rid('lifetime'), { expirySec: 7200 });
      assertRpcError(await rpc(url, 'dan_sign', tooLong), { code: UNAUTHORIZED, reason: 'malformed_auth' }, 'lifetime beyond 3600 s');
      const p = await signedSign(owner, key.keyId, digestOf('bad v'));
      const badV = `${p.auth.signature.slice(0, -2)}1d` as Hex; // v = 29
      assertRpcError(await rpc(url, 'dan_sign', { ...p, auth: { ...p.auth, signature: badV } }), { code: UNAUTHORIZED, reason: 'malformed_auth' }, 'v = 29');
    });

    // src/auth's AuthError names the field ('auth.expiry') and documents toRpcError() for servers;
    // the coordinator maps reasons by hand and reports 'auth.signature' for every non-signer refusal.
    it('names auth.expiry as data.field when the expiry is what is wrong', async () => {
      const expired = await signedSign(owner, key.keyId, digestOf('expired field'), rid('expired-field'), { expiry: now() - 60 });
      assertRpcError(await rpc(url, 'dan_sign', expired), { code: UNAUTHORIZED, reason: 'expired', field: 'auth.expiry' });
      const tooLong = await signedSign(owner, key.keyId, digestOf('lifetime field'), rid('lifetime-field'), { expirySec: 7200 });
      assertRpcError(await rpc(url, 'dan_sign', tooLong), { code: UNAUTHORIZED, reason: 'malformed_auth', field: 'auth.expiry' });
    });

    it('answers a replayed requestId with the same signature, and refuses it with another digest (REQUEST_CONFLICT)', async () => {
      replayRequestId = rid('replay');
      const digest = digestOf('replay');
      const p = await signedSign(owner, key.keyId, digest, replayRequestId);
      const first = await rpcSign(p, key.address);
      // The very same body again, and the same content with a fresh authentication.
      const again = await rpcSign(p, key.address);
      const resigned = await rpcSign(await signedSign(owner, key.keyId, digest, replayRequestId, { expirySec: 120 }), key.address);
      const viaClient = await cluster.client(owner).sign({ keyId: key.keyId, digest, requestId: replayRequestId });
      // ECDSA with a fresh presignature would give another r: equal bytes mean no second signing.
      for (const s of [again, resigned, viaClient]) assert.equal(s.signature, first.signature);

      const conflict = await signedSign(owner, key.keyId, digestOf('replay, other digest'), replayRequestId);
      assertRpcError(await rpc(url, 'dan_sign', conflict), { code: REQUEST_CONFLICT, reason: 'request_conflict' });
      // The conflict did not replace the original answer.
      assert.equal((await rpcSign(p, key.address)).signature, first.signature);
    });

    it('lets an authorized signer sign, and only the key it is authorized for', async () => {
      key2 = await cluster.client(owner).keyGen({ threshold: 2, authorizedSigners: [other.address] });
      keyIds.push(key2.keyId);
      assert.notEqual(key2.publicKey, key.publicKey);
      await rpcSign(await signedSign(other, key2.keyId, digestOf('authorized')), key2.address);
      await rpcSign(await signedSign(owner, key2.keyId, digestOf('owner of key2')), key2.address);
      assertRpcError(await rpc(url, 'dan_sign', await signedSign(other, key.keyId, digestOf('other on key1'))), { code: UNAUTHORIZED, reason: 'signer_not_allowed' });
      assertRpcError(await rpc(url, 'dan_sign', await signedSign(stranger, key2.keyId, digestOf('stranger on key2'))), { code: UNAUTHORIZED, reason: 'signer_not_allowed' });
    });

    it('refuses a keyGen not signed by the owner it names', async () => {
      const byStranger = await signed(stranger, 'dan_keyGen', { threshold: 2, owner: owner.address, requestId: rid('kg-stranger') });
      assertRpcError(await rpc(url, 'dan_keyGen', byStranger), { code: UNAUTHORIZED, reason: 'signer_not_allowed' });
      assertRpcError(await rpc(url, 'dan_keyGen', { ...byStranger, auth: { ...byStranger.auth, signer: owner.address } }), { code: UNAUTHORIZED, reason: 'bad_signature' });
      // An owner's signed keyGen with a changed field (here: another owner) is not the owner's request.
      const mine = await signed(owner, 'dan_keyGen', { threshold: 2, owner: owner.address, requestId: rid('kg-mine') });
      assertRpcError(await rpc(url, 'dan_keyGen', { ...mine, owner: stranger.address }), { code: UNAUTHORIZED });
      assertRpcError(await rpc(url, 'dan_keyGen', { ...mine, threshold: 3 }), { code: UNAUTHORIZED, reason: 'bad_signature' });
      // No key appeared for the owner besides the two it asked for.
      const { keys } = await cluster.client(owner).listKeys();
      assert.deepEqual(keys.map((k) => k.keyId).sort(), [...keyIds].sort());
      assert.equal((await cluster.client(stranger).listKeys()).keys.length, 0);
    });
  });

  // ---- 2. nodes refuse forged instructions from a peer ----------------------------------------

  describe('node 1, called directly by a peer holding node 2 identity', () => {
    let peer: PeerNetwork | undefined;
    let node1 = '';
    const call = <T = unknown>(method: string, body: unknown) => peer!.call<T>(node1, method, body, 8000);
    const refused = assertRefused;
    const pooled = async (): Promise<string[]> => {
      const { presignatures } = await call<{ presignatures: { id: string; signers: number[] }[] }>(NodeMethod.presignatures, { keyId: key.keyId });
      return presignatures.map((p) => p.id);
    };
    /** A presignature id in node 1's pool (waits for the background refill if needed). */
    const takePooled = async (exclude: Set<string>): Promise<string> => {
      for (let i = 0; i < 600; i++) {
        const id = (await pooled()).find((x) => !exclude.has(x));
        if (id) {
          exclude.add(id);
          return id;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('node 1 has no pooled presignature');
    };

    before(async () => {
      // A sign the coordinator served while every node was up: the request an eavesdropper captures.
      const params = await signedSign(owner, key.keyId, digestOf('served'), rid('served'));
      served = { params, result: await rpcSign(params, key.address) };

      await cluster.kill(2);
      const home = cluster.nodes[2].home;
      const config = JSON.parse(readFileSync(join(home, 'config.json'), 'utf8')) as NodeConfigFile;
      const { privateKey, peerId } = loadIdentity(join(home, 'identity.key'));
      assert.equal(peerId, cluster.nodes[2].peerId);
      node1 = cluster.nodes[1].peerId;
      peer = await PeerNetwork.start({ privateKey, listen: config.listen, operators: config.operators, logger: silentLogger });
      // Sanity: node 1 accepts us as node 2 and answers a harmless call.
      const info = await call<{ keyId: string; publicKey: string } | null>(NodeMethod.keyInfo, { keyId: key.keyId });
      assert.equal(info?.publicKey, key.publicKey);
    });
    after(async () => {
      await peer?.stop();
      await cluster.restart(2);
      await waitConnected(cluster, 3);
    });

    it('refuses node.sign with a request signed by a stranger, for another digest, or expired (UNAUTHORIZED), consuming nothing', async () => {
      const exclude = new Set<string>();
      const target = await takePooled(exclude); // a real presignature: a refusal must come before it is touched
      const s = served!.params;
      const byStranger = await signedSign(stranger, key.keyId, digestOf('peer stranger'));
      await refused(call(NodeMethod.sign, { presignatureId: target, request: { kind: 'digest', request: byStranger } }), 'UNAUTHORIZED', 'stranger');
      await refused(call(NodeMethod.sign, { presignatureId: target, request: { kind: 'digest', request: { ...s, digest: digestOf('peer swapped') } } }), 'UNAUTHORIZED', 'captured auth, other digest');
      await refused(call(NodeMethod.sign, { presignatureId: target, request: { kind: 'digest', request: { ...byStranger, auth: { ...byStranger.auth, signer: owner.address } } } }), 'UNAUTHORIZED', 'claims owner');
      const expired = await signedSign(owner, key.keyId, digestOf('peer expired'), rid('peer-expired'), { expiry: now() - 60 });
      await refused(call(NodeMethod.sign, { presignatureId: target, request: { kind: 'digest', request: expired } }), 'UNAUTHORIZED', 'expired');
      const { auth: _auth, ...noAuth } = s;
      await assert.rejects(call(NodeMethod.sign, { presignatureId: target, request: { kind: 'digest', request: noAuth } }), (e: unknown) => e instanceof RemoteError && ['BAD_CALL', 'UNAUTHORIZED'].includes(e.code));
      assert.ok((await pooled()).includes(target), 'the refused calls did not consume the presignature');
    });

    it('refuses node.keyGen with a forged owner signature or a node set the owner did not sign (UNAUTHORIZED)', async () => {
      const nodes = cluster.nodes.map((n) => n.peerId);
      const byStranger = await signed(stranger, 'dan_keyGen', { threshold: 2, owner: owner.address, requestId: rid('peer-kg') });
      const claimsOwner = { ...byStranger, auth: { ...byStranger.auth, signer: owner.address } };
      const twoNodes = await signed(owner, 'dan_keyGen', { threshold: 2, owner: owner.address, parties: [nodes[0], nodes[2]], requestId: rid('peer-kg-set') });
      const forged = [
        ['stranger', byStranger, nodes],
        ['claims owner', claimsOwner, nodes],
        ['owner-signed with another node set', twoNodes, nodes],
        ['owner-signed, threshold changed', { ...keyGenRequest, threshold: 3 }, nodes],
      ] as const;
      for (const [what, request, set] of forged) {
        await refused(call(NodeMethod.keyGen, { sessionId: randomHex32(), nodes: set, request }), 'UNAUTHORIZED', what);
        const keyId = deriveKeyId(DEVNET_NETWORK, contentDigest(DEVNET_NETWORK, 'KeyGen', keyGenMessage(request)));
        assert.equal(await call(NodeMethod.keyInfo, { keyId }), null, `${what}: no key ${keyId} was created`);
      }
      // A replayed (captured, valid) keyGen request does not make a new key: the same one comes back.
      const replay = await call<{ keyId: string; publicKey: string }>(NodeMethod.keyGen, { sessionId: randomHex32(), nodes: key.nodes, request: keyGenRequest });
      assert.deepEqual(replay, { keyId: key.keyId, publicKey: key.publicKey });
    });

    it('never lets a captured request sign on another presignature for another digest', async (t) => {
      const s = served!.params;
      // A presignature id that does not exist.
      await refused(call(NodeMethod.sign, { presignatureId: randomHex32(), request: { kind: 'digest', request: s } }), 'PRESIGNATURE_UNAVAILABLE', 'unknown presignature');

      const exclude = new Set<string>();
      // (a) The captured request on a pooled presignature P: at most a partial for the captured digest;
      // P can then never sign anything else, not even a fresh request the owner really signed.
      const p = await takePooled(exclude);
      let reply: SignReply | undefined;
      try {
        reply = await call<SignReply>(NodeMethod.sign, { presignatureId: p, request: { kind: 'digest', request: s } });
      } catch (e) {
        assert.ok(e instanceof RemoteError, `refused properly, got ${(e as Error).stack}`);
        t.diagnostic(`node 1 refused the captured request on another presignature: ${e.code}`);
      }
      if (reply) {
        assert.match(reply.partial, /^[0-9a-f]+$/);
        consumedByPeer.push({ presignatureId: p, digest: s.digest });
        t.diagnostic('node 1 signed the captured request again on another presignature (same digest; checked in its journal below)');
        const fresh = await signedSign(owner, key.keyId, digestOf('fresh on consumed'));
        await refused(call(NodeMethod.sign, { presignatureId: p, request: { kind: 'digest', request: fresh } }), 'PRESIGNATURE_UNAVAILABLE', 'fresh request on the consumed presignature');
        // The same captured request on P again: the journalled answer, nothing new.
        assert.deepEqual(await call<SignReply>(NodeMethod.sign, { presignatureId: p, request: { kind: 'digest', request: s } }), reply);
      }
      // (b) The other order: P2 signs a fresh owner request; the captured request cannot take it.
      const p2 = await takePooled(exclude);
      const fresh = await signedSign(owner, key.keyId, digestOf('fresh first'));
      await call<SignReply>(NodeMethod.sign, { presignatureId: p2, request: { kind: 'digest', request: fresh } });
      consumedByPeer.push({ presignatureId: p2, digest: fresh.digest });
      await refused(call(NodeMethod.sign, { presignatureId: p2, request: { kind: 'digest', request: s } }), 'PRESIGNATURE_UNAVAILABLE', 'captured request on a consumed presignature');
    });

    it('refuses a request whose authentication expired after the node once accepted it (UNAUTHORIZED)', async () => {
      const exclude = new Set<string>();
      const [p1, p2] = [await takePooled(exclude), await takePooled(exclude)];
      const shortLived = await signedSign(owner, key.keyId, digestOf('short-lived'), rid('short-lived'), { expirySec: 2 });
      const first = await call<SignReply>(NodeMethod.sign, { presignatureId: p1, request: { kind: 'digest', request: shortLived } });
      consumedByPeer.push({ presignatureId: p1, digest: shortLived.digest });
      // Within its lifetime the same request on the same presignature is the journalled answer.
      assert.deepEqual(await call<SignReply>(NodeMethod.sign, { presignatureId: p1, request: { kind: 'digest', request: shortLived } }), first);
      while (Date.now() / 1000 <= shortLived.auth.expiry + 0.05) await new Promise((r) => setTimeout(r, 100));
      await refused(call(NodeMethod.sign, { presignatureId: p2, request: { kind: 'digest', request: shortLived } }), 'UNAUTHORIZED', 'expired since it was accepted');
      assertRpcError(await rpc(url, 'dan_sign', shortLived), { code: UNAUTHORIZED, reason: 'expired' }, 'coordinator, expired since');
      assert.ok((await pooled()).includes(p2), 'the refused call did not consume the presignature');
    });

    // The node journals each request id with its content: a reused id with another digest is refused.
    it('refuses a reused requestId with another digest at the node (REQUEST_CONFLICT)', async () => {
      const s = served!.params;
      const p3 = await takePooled(new Set());
      const reuse = await signedSign(owner, key.keyId, digestOf('reuse at node'), s.requestId);
      const attempt = call<SignReply>(NodeMethod.sign, { presignatureId: p3, request: { kind: 'digest', request: reuse } });
      attempt.then(() => consumedByPeer.push({ presignatureId: p3, digest: reuse.digest }), () => {});
      await refused(attempt, 'REQUEST_CONFLICT', 'served requestId, other digest');
    });
  });

  // ---- 3. allow-list --------------------------------------------------------------------------

  it('keeps a peer outside the allow-list out, and node 0 keeps serving', async (t) => {
    const config0 = JSON.parse(readFileSync(join(cluster.nodes[0].home, 'config.json'), 'utf8')) as NodeConfigFile;
    const node0 = cluster.nodes[0].peerId;
    const intruder = await PeerNetwork.start({
      privateKey: await generateKeyPair('Ed25519'),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      operators: [{ peerId: node0, addrs: config0.listen }],
      logger: silentLogger,
    });
    try {
      for (const [method, body] of [
        [NodeMethod.keyInfo, { keyId: key.keyId }],
        [NodeMethod.sign, { presignatureId: randomHex32(), request: { kind: 'digest', request: served!.params } }],
      ] as const) {
        await assert.rejects(intruder.call(node0, method, body, 4000), (e: unknown) => {
          assert.ok(e instanceof NetError, `a NetError, got ${(e as Error)?.stack ?? e}`);
          assert.ok(e.code === 'PEER_UNAVAILABLE' || e.code === 'TIMEOUT', `${method}: PEER_UNAVAILABLE or TIMEOUT, got ${e.code} (${e.message})`);
          t.diagnostic(`${method} from outside the allow-list: ${e.code} (${e.message.slice(0, 120)})`);
          return true;
        });
      }
      assert.equal(intruder.isConnected(node0), false, 'no connection to node 0 survives');
    } finally {
      await intruder.stop();
    }
    const status = await cluster.client(owner).nodes();
    assert.deepEqual(status.nodes.map((n) => n.peerId).sort(), cluster.nodes.map((n) => n.peerId).sort());
    await rpcSign(await signedSign(owner, key.keyId, digestOf('after intruder')), key.address);
  });

  // ---- 4. malformed JSON-RPC ------------------------------------------------------------------

  describe('JSON-RPC server', () => {
    it('refuses malformed requests with the right codes and keeps serving', async () => {
      assertRpcError(await post(url, '{"jsonrpc":"2.0","id":1,"method":'), { code: -32700, reason: 'parse_error' }, 'truncated JSON');
      assertRpcError(await post(url, 'not json at all'), { code: -32700, reason: 'parse_error' }, 'not JSON');
      // A batch: each request is answered on its own, in order (the unsigned one is refused).
      const batch = await post(url, [{ jsonrpc: '2.0', id: 1, method: 'dan_nodes', params: {} }, { jsonrpc: '2.0', id: 'n', method: 'dan_network' }]);
      assert.equal(batch.status, 200);
      assert.equal(batch.json.length, 2);
      assert.deepEqual([batch.json[0].id, batch.json[0].error?.data?.reason], [1, 'missing_auth']);
      assert.deepEqual(batch.json[1], { jsonrpc: '2.0', id: 'n', result: { network: 'devnet' } });
      assertRpcError(await post(url, []), { code: -32600, reason: 'invalid_request' }, 'empty batch');
      assertRpcError(await post(url, '42'), { code: -32600, reason: 'invalid_request' }, 'a number');
      const noVersion = await post(url, { id: 7, method: 'dan_nodes', params: {} });
      assertRpcError(noVersion, { code: -32600, reason: 'invalid_request' }, 'missing jsonrpc');
      assert.equal(noVersion.json.id, 7, 'the id is echoed');
      assertRpcError(await post(url, { jsonrpc: '1.0', id: 8, method: 'dan_nodes' }), { code: -32600 }, 'jsonrpc 1.0');
      assertRpcError(await post(url, { jsonrpc: '2.0', id: 9 }), { code: -32600 }, 'no method');
      assertRpcError(await post(url, { jsonrpc: '2.0', id: 10, method: 'dan_nodes', params: 'x' }), { code: -32600 }, 'params a string');
      const unknown = await rpc(url, 'dan_transferAll', {});
      assertRpcError(unknown, { code: -32601, reason: 'method_not_found' }, 'unknown method');
      assertRpcError(await rpc(url, 'eth_sendTransaction', [{}]), { code: -32601 }, 'foreign method');

      // Wrong types: -32602 naming the field (auth present and well formed, so the types are what fails).
      const p = await signedSign(owner, key.keyId, digestOf('types'));
      assertRpcError(await rpc(url, 'dan_sign', { ...p, digest: 'not hex' }), { code: -32602, reason: 'invalid_field', field: 'digest' }, 'digest not hex');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, digest: `0x${'zz'.repeat(32)}` }), { code: -32602, field: 'digest' }, 'digest with non-hex digits');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, digest: p.digest.slice(0, 40) }), { code: -32602, field: 'digest' }, 'short digest');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, keyId: 42 }), { code: -32602, field: 'keyId' }, 'keyId a number');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, extra: true }), { code: -32602, reason: 'unknown_field', field: 'extra' }, 'unknown field');
      assertRpcError(await rpc(url, 'dan_sign', { ...p, auth: { ...p.auth, expiry: 'soon' } }), { code: -32602, field: 'auth.expiry' }, 'auth.expiry a string');
      const kg = await signed(owner, 'dan_keyGen', { threshold: 2, owner: owner.address, requestId: rid('kg-types') });
      assertRpcError(await rpc(url, 'dan_keyGen', { ...kg, threshold: '2' }), { code: -32602, reason: 'invalid_field', field: 'threshold' }, 'threshold a string');
      assertRpcError(await rpc(url, 'dan_keyGen', { ...kg, threshold: 1 }), { code: -32602, field: 'threshold' }, 'threshold 1');
      assertRpcError(await rpc(url, 'dan_keyGen', { ...kg, owner: '0x1234' }), { code: -32602, field: 'owner' }, 'owner not an address');
      assertRpcError(await rpc(url, 'dan_keyGen', { ...kg, parties: ['x', 'x'] }), { code: -32602 }, 'duplicate parties');

      // Bodies over the limit: 413 with a JSON-RPC error, with a declared length and chunked.
      const limit = (JSON.parse(readFileSync(join(cluster.nodes[0].home, 'config.json'), 'utf8')) as NodeConfigFile).rpc.maxBodyBytes;
      assert.ok(limit > 0 && limit <= 64 * 1024 * 1024, `maxBodyBytes ${limit}`);
      const big = JSON.stringify({ jsonrpc: '2.0', id: 11, method: 'dan_nodes', params: { pad: 'x'.repeat(limit + 1024) } });
      assertRpcError(await post(url, big), { code: -32600, reason: 'body_too_large', status: 413 }, 'declared length over the limit');
      const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent > limit + chunk.length) return controller.close();
          sent += chunk.length;
          controller.enqueue(chunk);
        },
      });
      assertRpcError(await post(url, '', { body: stream, duplex: 'half' } as RequestInit), { code: -32600, reason: 'body_too_large', status: 413 }, 'chunked body over the limit');

      // Other verbs and paths.
      const getRoot = await get(url);
      assertRpcError(getRoot, { code: -32600, status: 405 }, 'GET /');
      assert.equal(getRoot.headers.get('allow'), 'POST');
      assert.equal((await get(new URL('/no-such-path', url).href)).status, 404);

      // Still serving.
      const nodes = resultOf<{ nodes: { peerId: string; status: string }[] }>(await rpc(url, 'dan_nodes', await signed(stranger, 'dan_nodes', {})));
      assert.equal(nodes.nodes.length, 3);
      assert.deepEqual(nodes.nodes.map((n) => n.status).sort(), ['connected', 'connected', 'self']);
      await rpcSign(p, key.address);
    });

    it('serves /healthz and /readyz on the RPC port, Prometheus /metrics only on each node\'s ops port', async () => {
      const health = await get(new URL('/healthz', url).href);
      assert.equal(health.status, 200);
      assert.equal(health.json?.status, 'ok');
      const ready = await get(new URL('/readyz', url).href);
      assert.equal(ready.status, 200);
      assert.equal((await get(new URL('/metrics', url).href)).status, 404, 'no metrics on the public RPC port');

      const ops = cluster.nodes[0].opsUrl!;
      assert.match(ops, /^http:\/\/127\.0\.0\.1:\d+$/, 'the ops endpoint is on loopback');
      const metrics = await get(`${ops}/metrics`);
      assert.equal(metrics.status, 200);
      assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain/);
      assert.match(metrics.text, /^# TYPE dan_rpc_requests_total counter$/m);
      // The refusals of this file were counted (Prometheus sample lines: name{labels} value).
      for (const outcome of ['ok', 'parse_error', 'too_large', 'missing_auth', 'signer_not_allowed', 'request_conflict']) {
        assert.match(metrics.text, new RegExp(`^dan_rpc_requests_total\\{[^}]*outcome="${outcome}"[^}]*\\} [1-9][0-9]*$`, 'm'), `counted outcome ${outcome}`);
      }
      for (const line of metrics.text.split('\n').filter((l) => l && !l.startsWith('#'))) {
        assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?([0-9.eE+-]+|NaN|\+Inf)$/, `Prometheus sample line: ${line}`);
      }
      // Every node, coordinator or not: liveness, readiness, its own sessions and process metrics.
      for (const node of cluster.nodes) {
        const live = await get(`${node.opsUrl}/livez`);
        assert.equal(live.status, 200);
        const readyz = await get(`${node.opsUrl}/readyz`);
        assert.equal(readyz.status, 200);
        assert.deepEqual([readyz.json?.peersConnected, readyz.json?.peersConfigured], [2, 2]);
        const text = (await get(`${node.opsUrl}/metrics`)).text;
        assert.match(text, /^dan_build_info\{version="\d+\.\d+\.\d+[^"]*",node="v\d+[^"]*",secp256k1="native"\} 1$/m);
        assert.match(text, /^dan_peers_connected 2$/m);
        assert.match(text, /^process_resident_memory_bytes \d+/m);
        assert.match(text, /^nodejs_eventloop_lag_seconds /m);
        assert.match(text, /^dan_store_size_bytes [1-9]\d*$/m);
      }
      // Nodes 0 and 1 (node 2 restarted since) ran the key's DKG, presigned and answered calls,
      // all timed; the coordinator's pools are visible.
      for (const node of cluster.nodes.slice(0, 2)) {
        const text = (await get(`${node.opsUrl}/metrics`)).text;
        assert.match(text, /^dan_session_duration_seconds_count\{protocol="keygen",outcome="ok"\} [1-9]/m, 'DKG sessions were timed');
        assert.match(text, /^dan_session_duration_seconds_count\{protocol="presign",outcome="ok"\} [1-9]/m, 'presign sessions were timed');
        assert.match(text, /^dan_node_call_duration_seconds_count\{method="node\.sign",outcome="ok"\} [1-9]/m, 'calls answered were timed');
      }
      assert.match(metrics.text, /^dan_presign_pool_target\{signers="12D3Koo\w+,12D3Koo\w+"\} [1-9]\d*$/m);
      assert.match(metrics.text, /^dan_presign_pool_available\{signers="12D3Koo\w+,12D3Koo\w+"\} \d+$/m);
    });
  });

  // ---- idempotency across a coordinator restart ------------------------------------------------

  describe('after the coordinator restarts', () => {
    let replayed: { params: DanParams<'dan_sign'>; result: SignResult };
    let conflicting: DanParams<'dan_sign'>;
    before(async () => {
      const p = await signedSign(owner, key.keyId, digestOf('before restart'), rid('restart-replay'));
      replayed = { params: p, result: await rpcSign(p, key.address) };
      const q = await signedSign(owner, key.keyId, digestOf('before restart, q'), rid('restart-conflict'));
      await rpcSign(q, key.address);
      conflicting = await signedSign(owner, key.keyId, digestOf('after restart, other digest'), q.requestId);
      await cluster.kill(0); // SIGKILL: the coordinator's in-memory state is gone, the journals stay
      await cluster.restart(0);
      await waitConnected(cluster, 3);
    });

    it('answers a replayed requestId with the same signature (no second signature)', async () => {
      const again = await rpcSign(replayed.params, key.address);
      assert.equal(again.signature, replayed.result.signature, 'same requestId and content after a coordinator restart: a second, different signature was made');
    });

    it('refuses a requestId reused with another digest (REQUEST_CONFLICT)', async () => {
      assertRpcError(await rpc(url, 'dan_sign', conflicting), { code: REQUEST_CONFLICT, reason: 'request_conflict' }, 'requestId served before the restart, other digest');
    });
  });

  // ---- 5. nothing secret in clear on disk ---------------------------------------------------

  it('keeps key shares, OT seeds and encoded shares out of the raw files; journals map a presignature to one digest', async (t) => {
    await Promise.all(cluster.nodes.map((_, i) => cluster.kill(i, 'SIGTERM')));
    const replayPresigs = new Set<string>();
    const controlNeedles: { what: string; bytes: Uint8Array }[] = [];
    for (const [i, node] of cluster.nodes.entries()) {
      const dataDir = join(node.home, 'data');
      // The files exactly as the stopped node left them (opening the store may rewrite them), raw
      // and, for LevelDB's files, decoded (Snappy-decompressed table blocks, joined log records).
      const before: RawFile[] = withLeveldbViews(readTree(node.home));
      assert.ok(before.some((f) => f.path.startsWith(dataDir)), `node ${i} has database files`);
      assert.equal(statSync(dataDir).mode & 0o777, 0o700, `node ${i}: data folder mode`);
      assert.equal(statSync(join(node.home, 'identity.key')).mode & 0o777, 0o600, `node ${i}: identity mode`);

      const store = await cluster.openStore(i);
      const needles: { what: string; bytes: Uint8Array }[] = [];
      const publicKeys: string[] = [];
      try {
        for (const keyId of keyIds) {
          const stored = await store.getKey(keyId);
          assert.ok(stored, `node ${i} holds key ${keyId}`);
          publicKeys.push(stored.meta.publicKey);
          const share = decodeKeyShare(stored.share);
          assert.equal(bytesToHex(share.publicKey), stored.meta.publicKey);
          needles.push({ what: `${keyId} share scalar`, bytes: encodeScalar(share.share) });
          needles.push({ what: `${keyId} encoded share (first 64 bytes)`, bytes: stored.share.subarray(0, 64) });
          needles.push({ what: `${keyId} encoded share (last 64 bytes)`, bytes: stored.share.subarray(stored.share.length - 64) });
          assert.equal(share.peers.size, 2);
          for (const [party, seeds] of share.peers) {
            // 32-byte windows of the OT seeds with real entropy (a punctured leaf is all zeros).
            needles.push({ what: `${keyId} otLeaves[${party}]`, bytes: highEntropyWindow(seeds.otLeaves) });
            needles.push({ what: `${keyId} otPunctured[${party}]`, bytes: highEntropyWindow(seeds.otPunctured) });
            needles.push({ what: `${keyId} zeroSeed[${party}]`, bytes: seeds.zeroSeed });
            // The punctured indices (one small number per block): the whole vector, it is what is secret.
            needles.push({ what: `${keyId} otDelta[${party}]`, bytes: seeds.otDelta });
          }
        }

        // Journal: one digest per presignature id, ever.
        const digests = new Map<string, Set<string>>();
        for await (const [requestId, entry] of store.journalEntries()) {
          if (entry.method !== 'sign') continue;
          const set = digests.get(entry.presignatureId!) ?? new Set<string>();
          set.add(entry.digest!);
          digests.set(entry.presignatureId!, set);
          if (requestId.startsWith(`sign:${key.keyId}:${replayRequestId}:`)) replayPresigs.add(entry.presignatureId!);
        }
        for (const [id, set] of digests) assert.equal(set.size, 1, `node ${i}: presignature ${id} signed ${set.size} digests: ${[...set].join(', ')}`);
        if (i === 1) {
          for (const c of consumedByPeer) {
            assert.deepEqual([...(digests.get(c.presignatureId) ?? [])], [c.digest.slice(2).toLowerCase()], `node 1: presignature ${c.presignatureId} journalled with its one digest`);
          }
        }
      } finally {
        await store.close();
      }

      const after = withLeveldbViews(readTree(node.home)); // a reopen may have turned the log into a table
      for (const files of [before, after]) {
        for (const n of needles) assert.deepEqual(filesContaining(files, n.bytes), [], `node ${i}: ${n.what} found in clear`);
        // The operator secret is never written under the node's folder (logs included).
        assert.deepEqual(filesContaining(files, cluster.secret), [], `node ${i}: operator secret found in clear`);
      }
      // Sanity: the scan does see data that is stored in clear (the public key in the key metadata),
      // in the decoded LevelDB views (raw bytes may hold it only Snappy-compressed).
      for (const pk of publicKeys) {
        const views = [...before, ...after].filter((f) => f.path.startsWith(dataDir) && f.path.includes('#'));
        assert.ok(filesContaining(views, pk).length > 0, `node ${i}: public key ${pk} not found in any database file: the scan does not work`);
      }
      if (i === 0) controlNeedles.push(...needles);
      t.diagnostic(`node ${i}: ${needles.length} secrets checked in ${before.length} + ${after.length} files`);
    }
    // Positive control: the same secrets written in clear to a scratch LevelDB (compressed tables,
    // as the node's) are found by the same scan, so the empty results above mean something.
    const scratch = mkdtempSync(join(tmpdir(), 'dan-scan-control-'));
    try {
      const db = new Level<string, Uint8Array>(scratch, { valueEncoding: 'view' });
      await db.open();
      for (let j = 0; j < 300; j++) await db.put(`filler/${j}`, new TextEncoder().encode(JSON.stringify({ j, hex: randomHex32(), again: randomHex32() })));
      for (const [j, n] of controlNeedles.entries()) await db.put(`secret/${j}`, Buffer.concat([randomBytes(40), n.bytes, randomBytes(40)]));
      await db.close();
      await db.open(); // recovery turns the log into a (Snappy-compressed) table
      await db.close();
      const files = readTree(scratch);
      assert.ok(files.some((f) => f.path.endsWith('.ldb')), 'the control database has a table file');
      const scanned = withLeveldbViews(files);
      for (const n of controlNeedles) assert.ok(filesContaining(scanned, n.bytes).length > 0, `control: ${n.what} written in clear is found`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }

    // The replayed request consumed one presignature in the whole network.
    assert.equal(replayPresigs.size, 1, `the replayed request used presignatures ${[...replayPresigs].join(', ')}`);
  });
});

