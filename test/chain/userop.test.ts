// userOp v0.7: hash against viem's getUserOperationHash on random userOps (with and without factory and
// paymaster), range checks, and the JSON parser's acceptance and refusal rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bytesToHex, getAddress, type Address, type Hex } from 'viem';
import { getUserOperationHash, type UserOperation } from 'viem/account-abstraction';
import {
  ChainError,
  ENTRYPOINT_V07_ADDRESS,
  parseUserOperation,
  toRpcUserOperation,
  userOpHash,
  type UserOperationV07,
} from '../../src/chain/index.ts';

const hex = (n: number): Hex => bytesToHex(randomBytes(n));
const addr = (): Address => getAddress(hex(20));
const uint = (bits: number): bigint => BigInt(hex(bits / 8)) >> BigInt(Math.floor(Math.random() * bits));

function randomUserOp({ factory, paymaster }: { factory: boolean; paymaster: boolean }): UserOperationV07 {
  const op: UserOperationV07 = {
    sender: addr(),
    nonce: uint(256),
    callData: hex(Math.floor(Math.random() * 300)),
    callGasLimit: uint(128),
    verificationGasLimit: uint(128),
    preVerificationGas: uint(256),
    maxFeePerGas: uint(128),
    maxPriorityFeePerGas: uint(128),
    signature: hex(Math.floor(Math.random() * 130)),
  };
  if (factory) {
    op.factory = addr();
    op.factoryData = hex(Math.floor(Math.random() * 200));
  }
  if (paymaster) {
    op.paymaster = addr();
    op.paymasterVerificationGasLimit = uint(128);
    op.paymasterPostOpGasLimit = uint(128);
    op.paymasterData = hex(Math.floor(Math.random() * 100));
  }
  return op;
}

function rejects(input: unknown, field: string, message?: RegExp) {
  assert.throws(
    () => parseUserOperation(input),
    (e: unknown) => {
      assert.ok(e instanceof ChainError, `not a ChainError: ${e}`);
      assert.equal(e.code, 'INVALID_USER_OPERATION');
      assert.equal(e.field, field);
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

const legacyJson = {
  sender: '0x8ba1f109551bd432803012645ac136ddd64dba72',
  nonce: '0x1d1a94a2000000000000000000000000000000000000000000000003',
  callData: '0xe9ae5c53',
  callGasLimit: '0x186a0',
  verificationGasLimit: '0x30d40',
  preVerificationGas: '0xc350',
  maxFeePerGas: '0x3b9aca00',
  maxPriorityFeePerGas: '0x3b9aca00',
  factoryData: '0x',
};

describe('userOpHash', () => {
  for (const factory of [false, true]) {
    for (const paymaster of [false, true]) {
      it(`equals viem getUserOperationHash v0.7 on random userOps (factory ${factory}, paymaster ${paymaster})`, () => {
        for (let i = 0; i < 50; i++) {
          const op = randomUserOp({ factory, paymaster });
          const entryPoint = i % 2 ? ENTRYPOINT_V07_ADDRESS : addr();
          const chainId = [1, 31337, 8453, 2 ** 40 + 7][i % 4];
          const expected = getUserOperationHash({ userOperation: op as UserOperation<'0.7'>, entryPointAddress: entryPoint, entryPointVersion: '0.7', chainId });
          assert.equal(userOpHash({ userOp: op, entryPoint, chainId }), expected);
          assert.equal(userOpHash({ userOp: op, entryPoint, chainId: BigInt(chainId) }), expected);
        }
      });
    }
  }

  it('defaults to the canonical EntryPoint v0.7 and ignores the signature', () => {
    const op = randomUserOp({ factory: false, paymaster: false });
    const h = userOpHash({ userOp: op, chainId: 31337 });
    assert.equal(h, getUserOperationHash({ userOperation: op as UserOperation<'0.7'>, entryPointAddress: '0x0000000071727De22E5E9d8BAf0edAc6f37da032', entryPointVersion: '0.7', chainId: 31337 }));
    assert.equal(userOpHash({ userOp: { ...op, signature: '0xdeadbeef' }, chainId: 31337 }), h);
    assert.notEqual(userOpHash({ userOp: { ...op, nonce: op.nonce ^ 1n }, chainId: 31337 }), h);
    assert.notEqual(userOpHash({ userOp: op, chainId: 31338 }), h);
  });

  it('extreme values: zero everything, max uint128 gas, max uint256 nonce', () => {
    const zero: UserOperationV07 = {
      sender: '0x0000000000000000000000000000000000000000',
      nonce: 0n,
      callData: '0x',
      callGasLimit: 0n,
      verificationGasLimit: 0n,
      preVerificationGas: 0n,
      maxFeePerGas: 0n,
      maxPriorityFeePerGas: 0n,
      signature: '0x',
    };
    const max = (1n << 128n) - 1n;
    const big: UserOperationV07 = {
      ...zero,
      nonce: (1n << 256n) - 1n,
      callGasLimit: max,
      verificationGasLimit: max,
      preVerificationGas: (1n << 256n) - 1n,
      maxFeePerGas: max,
      maxPriorityFeePerGas: max,
      paymaster: addr(),
      paymasterVerificationGasLimit: max,
      paymasterPostOpGasLimit: 0n,
      paymasterData: '0x',
    };
    for (const op of [zero, big]) {
      const expected = getUserOperationHash({ userOperation: op as UserOperation<'0.7'>, entryPointAddress: ENTRYPOINT_V07_ADDRESS, entryPointVersion: '0.7', chainId: 1 });
      assert.equal(userOpHash({ userOp: op, chainId: 1 }), expected);
    }
    assert.throws(() => userOpHash({ userOp: { ...zero, callGasLimit: 1n << 128n }, chainId: 1 }), /128 bits/);
  });
});

describe('parseUserOperation', () => {
  it('round-trips the RPC form of random userOps', () => {
    for (const factory of [false, true]) {
      for (const paymaster of [false, true]) {
        const op = randomUserOp({ factory, paymaster });
        const json = JSON.parse(JSON.stringify(toRpcUserOperation(op)));
        const back = parseUserOperation(json);
        assert.deepEqual(back, { ...op, callData: op.callData.toLowerCase(), signature: op.signature.toLowerCase(), ...(factory ? { factoryData: op.factoryData!.toLowerCase() } : {}), ...(paymaster ? { paymasterData: op.paymasterData!.toLowerCase() } : {}) });
        assert.equal(userOpHash({ userOp: back, chainId: 5 }), userOpHash({ userOp: op, chainId: 5 }));
      }
    }
  });

  it('takes the legacy wallet-provider shape (no factory, paymaster or signature; empty factoryData)', () => {
    const op = parseUserOperation(legacyJson);
    assert.equal(op.sender, '0x8ba1f109551bD432803012645Ac136ddd64DBA72');
    assert.equal(op.nonce, 0x1d1a94a2000000000000000000000000000000000000000000000003n);
    assert.equal(op.signature, '0x');
    assert.equal(op.factory, undefined);
    assert.equal(op.factoryData, undefined);
    assert.equal(op.paymaster, undefined);
    assert.ok(!('paymasterData' in op));
    const viemHash = getUserOperationHash({
      userOperation: {
        sender: op.sender,
        nonce: op.nonce,
        callData: '0xe9ae5c53',
        callGasLimit: 100000n,
        verificationGasLimit: 200000n,
        preVerificationGas: 50000n,
        maxFeePerGas: 1000000000n,
        maxPriorityFeePerGas: 1000000000n,
        signature: '0x',
      },
      entryPointAddress: ENTRYPOINT_V07_ADDRESS,
      entryPointVersion: '0.7',
      chainId: 31337,
    });
    assert.equal(userOpHash({ userOp: op, chainId: 31337 }), viemHash);
  });

  it('accepts quantities as hex, decimal strings, bigints and safe integers; null and 0x mean absent', () => {
    const a = parseUserOperation({ ...legacyJson, callGasLimit: '100000', verificationGasLimit: 200000, preVerificationGas: 50000n, factory: null, paymaster: '0x', paymasterData: null });
    assert.equal(a.callGasLimit, 100000n);
    assert.equal(a.verificationGasLimit, 200000n);
    assert.equal(a.preVerificationGas, 50000n);
    assert.equal(a.factory, undefined);
    assert.equal(a.paymaster, undefined);
    const b = parseUserOperation({ ...legacyJson, factory: '0x9406Cc6185a346906296840746125a0E44976454' });
    assert.equal(b.factory, '0x9406Cc6185a346906296840746125a0E44976454');
    assert.equal(b.factoryData, '0x');
    const c = parseUserOperation({ ...legacyJson, paymaster: '0x9406cc6185a346906296840746125a0e44976454' });
    assert.deepEqual([c.paymasterVerificationGasLimit, c.paymasterPostOpGasLimit, c.paymasterData], [0n, 0n, '0x']);
  });

  it('names the first bad field', () => {
    rejects(null, 'userOperation');
    rejects([], 'userOperation');
    const { sender: _s, ...noSender } = legacyJson;
    rejects(noSender, 'userOperation.sender', /required/);
    rejects({ ...legacyJson, sender: '0x1234' }, 'userOperation.sender');
    rejects({ ...legacyJson, sender: '0x8ba1f109551bD432803012645Ac136ddd64DBA73' }, 'userOperation.sender', /checksum/); // bad EIP-55
    rejects({ ...legacyJson, nonce: `0x1${'0'.repeat(64)}` }, 'userOperation.nonce', /uint256/);
    rejects({ ...legacyJson, nonce: -1 }, 'userOperation.nonce');
    rejects({ ...legacyJson, nonce: 1.5 }, 'userOperation.nonce');
    rejects({ ...legacyJson, nonce: '0x' }, 'userOperation.nonce');
    rejects({ ...legacyJson, nonce: ' 12' }, 'userOperation.nonce');
    rejects({ ...legacyJson, callGasLimit: `0x1${'0'.repeat(32)}` }, 'userOperation.callGasLimit', /uint128/);
    rejects({ ...legacyJson, maxFeePerGas: 2 ** 60 }, 'userOperation.maxFeePerGas');
    rejects({ ...legacyJson, callData: '0x123' }, 'userOperation.callData', /whole bytes/);
    rejects({ ...legacyJson, callData: 'e9ae5c53' }, 'userOperation.callData');
    rejects({ ...legacyJson, signature: 42 }, 'userOperation.signature');
    rejects({ ...legacyJson, initCode: '0x' }, 'userOperation.initCode', /not a v0.7/);
    rejects({ ...legacyJson, factoryData: '0xabcd' }, 'userOperation.factoryData', /factory is not/);
    rejects({ ...legacyJson, paymasterData: '0xabcd' }, 'userOperation.paymasterData', /paymaster is not/);
    rejects({ ...legacyJson, paymasterPostOpGasLimit: '0x10' }, 'userOperation.paymasterPostOpGasLimit', /paymaster is not/);
    rejects({ ...legacyJson, factory: '0x7702000000000000000000000000000000000000' }, 'userOperation.factory', /7702/);
  });

  it('can ignore unknown fields and report another path', () => {
    const op = parseUserOperation({ ...legacyJson, eip7702Auth: null, extra: 1 }, { ignoreUnknownFields: true });
    assert.equal(op.callGasLimit, 100000n);
    assert.throws(
      () => parseUserOperation({ ...legacyJson, nonce: 'x' }, { path: 'params.userOperation' }),
      (e: unknown) => e instanceof ChainError && e.field === 'params.userOperation.nonce',
    );
  });
});
