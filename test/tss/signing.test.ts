// End-to-end engine tests: DKG, presign and sign for every t-subset of several (t, n), checked by
// independent verifiers (noble, viem).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hashMessage, keccak256, recoverAddress, toHex, type Hex } from 'viem';
import { publicKeyToAddress } from 'viem/accounts';
import { getUserOperationHash } from 'viem/account-abstraction';
import { dkg, presign, sign, subsets } from '../helpers/tss.ts';

function addressOf(publicKey: Uint8Array): Hex {
  return publicKeyToAddress(toHex(secp256k1.Point.fromBytes(publicKey).toBytes(false)));
}

describe('DKG -> presign -> sign for every signer subset', () => {
  for (const [t, n] of [[2, 2], [2, 3], [3, 5], [5, 7]] as const) {
    it(`${t}-of-${n}`, async () => {
      const shares = dkg(t, n);
      assert.equal(shares.length, n);
      for (const s of shares) assert.deepEqual(s.publicKey, shares[0].publicKey);
      const address = addressOf(shares[0].publicKey);
      let signed = 0;
      for (const signers of subsets(n, t)) {
        const digest = new Uint8Array(randomBytes(32));
        const sig = sign(shares, presign(shares, signers), digest);
        assert.equal(sig.signature.length, 65);
        assert.ok(sig.v === 27 || sig.v === 28);
        assert.ok(sig.s <= secp256k1.Point.Fn.ORDER / 2n, 'low s');
        assert.ok(secp256k1.verify(sig.signature.subarray(0, 64), digest, shares[0].publicKey, { prehash: false }), `noble verifies (${signers})`);
        await assertRecovers(digest, sig.signature, address);
        signed++;
      }
      assert.equal(signed, subsets(n, t).length);
    });
  }
});

async function assertRecovers(digest: Uint8Array, signature: Uint8Array, address: Hex): Promise<void> {
  assert.equal(await recoverAddress({ hash: toHex(digest), signature: toHex(signature) }), address);
}

describe('signatures as Ethereum uses them', () => {
  it('recovers the key address for raw digests and for the EIP-191 digest of a userOp hash', async () => {
    const shares = dkg(2, 3);
    const address = addressOf(shares[0].publicKey);
    for (const signers of subsets(3, 2)) {
      const digest = new Uint8Array(randomBytes(32));
      await assertRecovers(digest, sign(shares, presign(shares, signers), digest).signature, address);
    }
    const userOpHash = getUserOperationHash({
      chainId: 31337,
      entryPointAddress: '0x0000000071727De22E5E9d8BAf0edAc6f37da032',
      entryPointVersion: '0.7',
      userOperation: {
        sender: '0x1111111111111111111111111111111111111111',
        nonce: 5n,
        callData: '0xdeadbeef',
        callGasLimit: 100000n,
        verificationGasLimit: 200000n,
        preVerificationGas: 50000n,
        maxFeePerGas: 2000000000n,
        maxPriorityFeePerGas: 1000000000n,
        signature: '0x',
      },
    });
    const eip191 = hashMessage({ raw: userOpHash });
    const sig = sign(shares, presign(shares, [0, 2]), Buffer.from(eip191.slice(2), 'hex'));
    assert.equal(await recoverAddress({ hash: eip191, signature: toHex(sig.signature) }), address);
    assert.notEqual(eip191, keccak256(userOpHash));
  });
});
