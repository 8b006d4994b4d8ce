// dan_signUserOperation through real node processes: every node recomputes the v0.7 userOp hash
// and signs its EIP-191 digest; a key bound to a policy refuses calls outside it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recoverMessageAddress, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { encodeExecute, encodeExecuteBatch, userOpHash as chainUserOpHash, parseUserOperation } from '../../src/chain/index.ts';
import type { UserOperationJson } from '../../src/rpc/index.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';

const ENTRY_POINT: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';
const TARGET: Address = '0x1111111111111111111111111111111111111111';
const INCREMENT: Hex = '0xd09de08a';

function userOp(callData: Hex, sender: Address = '0x2222222222222222222222222222222222222222'): UserOperationJson {
  return {
    sender,
    nonce: '0x5',
    callData,
    callGasLimit: '0x186a0',
    verificationGasLimit: '0x30d40',
    preVerificationGas: '0xc350',
    maxFeePerGas: '0x77359400',
    maxPriorityFeePerGas: '0x3b9aca00',
  };
}

describe('dan_signUserOperation', { timeout: 300_000 }, () => {
  let cluster: Cluster;
  const owner = privateKeyToAccount(generatePrivateKey());
  before(async () => {
    cluster = await startCluster({ nodes: 3, threshold: 2 });
  });
  after(() => cluster?.cleanup());

  it('signs the EIP-191 digest of the userOp hash the nodes recompute', async () => {
    const dan = cluster.client(owner);
    const key = await dan.keyGen({ threshold: 2, owner: owner.address });
    const op = userOp(encodeExecute({ to: TARGET, data: INCREMENT }));
    const r = await dan.request('dan_signUserOperation', { keyId: key.keyId, userOperation: op, entryPoint: ENTRY_POINT, chainId: 31337, requestId: crypto.randomUUID() });
    const expected = chainUserOpHash({ userOp: parseUserOperation(op), entryPoint: ENTRY_POINT, chainId: 31337 });
    assert.equal(r.userOpHash, expected);
    assert.equal(await recoverMessageAddress({ message: { raw: r.userOpHash }, signature: r.signature }), key.address);
  });

  it('refuses calls outside the key policy, and the wrong chain (POLICY_VIOLATION), but signs what it allows', async () => {
    const dan = cluster.client(owner);
    const key = await dan.keyGen({ threshold: 2, owner: owner.address, policy: { chainId: 31337, allow: [{ target: TARGET, selector: INCREMENT }] } });
    const sign = (callData: Hex, chainId = 31337) =>
      dan.request('dan_signUserOperation', { keyId: key.keyId, userOperation: userOp(callData), entryPoint: ENTRY_POINT, chainId, requestId: crypto.randomUUID() });
    const policy = (e: Error & { code?: number }) => e.code === -32006;
    await assert.rejects(sign(encodeExecute({ to: '0x3333333333333333333333333333333333333333', data: INCREMENT })), policy);
    await assert.rejects(sign(encodeExecute({ to: TARGET, data: '0xa9059cbb' })), policy);
    await assert.rejects(sign(encodeExecute({ to: TARGET, value: 1n, data: INCREMENT })), policy);
    await assert.rejects(sign(encodeExecuteBatch([{ to: TARGET, data: INCREMENT }, { to: TARGET, data: '0x12345678' }])), policy);
    await assert.rejects(sign('0xdeadbeef'), policy);
    await assert.rejects(sign(encodeExecute({ to: TARGET, data: INCREMENT }), 1), policy);
    const ok = await sign(encodeExecuteBatch([{ to: TARGET, data: INCREMENT }, { to: TARGET, data: INCREMENT }]));
    assert.equal(await recoverMessageAddress({ message: { raw: ok.userOpHash }, signature: ok.signature }), key.address);
  });

  it('refuses a keyGen with a malformed policy before any work', async () => {
    const dan = cluster.client(owner);
    await assert.rejects(dan.keyGen({ threshold: 2, owner: owner.address, policy: { allow: [{ target: 'nope' }] } }), (e: Error & { code?: number }) => e.code === -32602);
  });
});
