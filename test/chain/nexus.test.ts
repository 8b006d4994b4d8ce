// Nexus: execute calldata for single calls and ERC-7579 batches against independent constructions (viem
// parseAbi + encodePacked / encodeAbiParameters, and a hand-written hex layout), the strict decoder's
// refusals, and the nonce key layout of NonceLib / modulekit's makeNonceKey.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bytesToHex, encodeAbiParameters, encodeFunctionData, encodePacked, getAddress, parseAbi, toFunctionSelector, type Address, type Hex } from 'viem';
import {
  ChainError,
  EXECUTE_SELECTOR,
  EXECUTION_MODE,
  decodeExecute,
  decodeNexusNonce,
  encodeCalls,
  encodeExecute,
  encodeExecuteBatch,
  encodeInstallModule,
  encodeNonce,
  nexusNonceKey,
  type Call,
} from '../../src/chain/index.ts';

// Independent ABI, written from Nexus.sol: `function execute(ExecutionMode mode, bytes calldata executionCalldata) external payable`
// with `type ExecutionMode is bytes32`.
const refAbi = parseAbi([
  'function execute(bytes32 mode, bytes executionCalldata) payable',
  'function executeUserOp((address,uint256,bytes,bytes,bytes32,uint256,bytes32,bytes,bytes) userOp, bytes32 userOpHash) payable',
  'function executeFromExecutor(bytes32 mode, bytes executionCalldata) payable returns (bytes[])',
]);
const refExecutions = [
  {
    type: 'tuple[]',
    components: [
      { name: 'target', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'callData', type: 'bytes' },
    ],
  },
] as const;

const hex = (n: number): Hex => bytesToHex(randomBytes(n));
const addr = (): Address => getAddress(hex(20));
const randomCall = (): Required<Call> => ({ to: addr(), value: BigInt(hex(1 + Math.floor(Math.random() * 31))), data: hex(Math.floor(Math.random() * 100)) });
const ZERO32 = `0x${'00'.repeat(32)}` as Hex;
const BATCH = `0x01${'00'.repeat(31)}` as Hex;

function unsupported(callData: Hex, message?: RegExp) {
  assert.throws(
    () => decodeExecute(callData),
    (e: unknown) => {
      assert.ok(e instanceof ChainError, `not a ChainError: ${e}`);
      assert.equal(e.code, 'UNSUPPORTED_CALLDATA');
      if (message) assert.match(e.message, message);
      return true;
    },
  );
}

describe('Nexus execute encoding', () => {
  it('selector and modes', () => {
    assert.equal(EXECUTE_SELECTOR, '0xe9ae5c53');
    assert.equal(toFunctionSelector('execute(bytes32,bytes)'), '0xe9ae5c53');
    assert.equal(EXECUTION_MODE.SINGLE, ZERO32);
    assert.equal(EXECUTION_MODE.BATCH, BATCH);
  });

  it('single call = execute(0, encodePacked(target, value, data)) (viem reference)', () => {
    for (let i = 0; i < 20; i++) {
      const c = randomCall();
      const expected = encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [ZERO32, encodePacked(['address', 'uint256', 'bytes'], [c.to, c.value, c.data])] });
      assert.equal(encodeExecute(c), expected);
    }
  });

  it('single call, hand-written layout', () => {
    const to = '0x1111111111111111111111111111111111111111';
    const got = encodeExecute({ to, value: 5n, data: '0xa9059cbb' });
    const packed = `${'11'.repeat(20)}${'00'.repeat(31)}05a9059cbb`; // 20 + 32 + 4 = 56 bytes
    const expected =
      '0xe9ae5c53' +
      '00'.repeat(32) + // mode
      (0x40).toString(16).padStart(64, '0') + // offset of bytes
      (56).toString(16).padStart(64, '0') + // length
      packed +
      '00'.repeat(8); // pad 56 -> 64
    assert.equal(got, expected);
    // value and data default to 0 and empty
    assert.equal(encodeExecute({ to }), encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [ZERO32, encodePacked(['address', 'uint256'], [to, 0n])] }));
  });

  it('batch = execute(0x01.., abi.encode(Execution[])) (viem reference)', () => {
    for (let n = 1; n <= 5; n++) {
      const calls = Array.from({ length: n }, randomCall);
      const executions = calls.map((c) => ({ target: c.to, value: c.value, callData: c.data }));
      const expected = encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [BATCH, encodeAbiParameters(refExecutions, [executions])] });
      assert.equal(encodeExecuteBatch(calls), expected);
    }
  });

  it('encodeCalls picks single for one call, batch for more', () => {
    const a = randomCall();
    const b = randomCall();
    assert.equal(encodeCalls([a]), encodeExecute(a));
    assert.equal(encodeCalls([a, b]), encodeExecuteBatch([a, b]));
    assert.throws(() => encodeCalls([]), (e: unknown) => e instanceof ChainError && e.code === 'INVALID_CALL');
  });

  it('refuses malformed calls', () => {
    const bad = (calls: Call[], field: string) =>
      assert.throws(
        () => encodeExecuteBatch(calls),
        (e: unknown) => e instanceof ChainError && e.code === 'INVALID_CALL' && e.field === field,
      );
    bad([{ to: '0x1234' as Address }], 'calls[0].to');
    bad([randomCall(), { to: addr(), value: -1n }], 'calls[1].value');
    bad([{ to: addr(), value: 1n << 256n }], 'calls[0].value');
    bad([{ to: addr(), data: '0x123' as Hex }], 'calls[0].data');
    assert.throws(() => encodeExecuteBatch([]), ChainError);
  });

  it('installModule calldata', () => {
    const m = addr();
    assert.equal(
      encodeInstallModule({ moduleTypeId: 1n, module: m, initData: '0xabcd' }),
      encodeFunctionData({ abi: parseAbi(['function installModule(uint256 moduleTypeId, address module, bytes initData) payable']), functionName: 'installModule', args: [1n, m, '0xabcd'] }),
    );
  });
});

describe('decodeExecute', () => {
  it('round-trips single and batch calls', () => {
    for (let i = 0; i < 20; i++) {
      const c = randomCall();
      assert.deepEqual(decodeExecute(encodeExecute(c)), [{ to: c.to, value: c.value, data: c.data.toLowerCase() }]);
      const calls = Array.from({ length: 1 + (i % 4) }, randomCall);
      assert.deepEqual(
        decodeExecute(encodeExecuteBatch(calls)),
        calls.map((x) => ({ to: x.to, value: x.value, data: x.data.toLowerCase() })),
      );
    }
    // empty inner data, zero value
    const to = addr();
    assert.deepEqual(decodeExecute(encodeExecute({ to })), [{ to, value: 0n, data: '0x' }]);
    // uppercase hex input decodes the same
    const cd = encodeExecute({ to, value: 7n, data: '0xabcdef' });
    assert.deepEqual(decodeExecute(`0x${cd.slice(2).toUpperCase()}` as Hex), decodeExecute(cd));
  });

  it('refuses other execution modes', () => {
    const packed = encodePacked(['address', 'uint256', 'bytes'], [addr(), 0n, '0x']);
    const withMode = (mode: Hex) => encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [mode, packed] });
    unsupported(withMode(`0xff${'00'.repeat(31)}`), /delegatecall/);
    unsupported(withMode(`0xfe${'00'.repeat(31)}`), /staticcall/);
    unsupported(withMode(`0x02${'00'.repeat(31)}`), /call type/);
    unsupported(withMode(`0x0001${'00'.repeat(30)}`), /exec type/); // try mode
    unsupported(withMode(`0x0101${'00'.repeat(30)}`), /exec type/);
    unsupported(withMode(`0x000000000000deadbeef${'00'.repeat(22)}`), /selector and payload/);
    unsupported(withMode(`0x${'00'.repeat(31)}01`), /selector and payload/);
  });

  it('refuses other selectors', () => {
    unsupported(encodeInstallModule({ moduleTypeId: 1n, module: addr() }), /selector/);
    unsupported(encodeFunctionData({ abi: refAbi, functionName: 'executeFromExecutor', args: [ZERO32, '0x'] }), /selector/);
    unsupported(
      encodeFunctionData({
        abi: refAbi,
        functionName: 'executeUserOp',
        args: [[addr(), 0n, '0x', encodeExecute({ to: addr() }), ZERO32, 0n, ZERO32, '0x', '0x'], ZERO32],
      }),
      /selector/,
    );
    unsupported('0x', /shorter/);
    unsupported('0xe9ae5c', /shorter/);
    unsupported('0xe9ae5c53', /not ABI-decodable/);
  });

  it('refuses trailing garbage, non-canonical offsets and dirty padding', () => {
    const single = encodeExecute({ to: addr(), value: 1n, data: '0xa9059cbb' }); // 56-byte payload, 8 bytes of padding
    unsupported(`${single}00` as Hex, /canonical/);
    unsupported(`${single}${'00'.repeat(32)}` as Hex, /canonical/);
    // Offset 0x60 with an extra word before the bytes: decodes in a lenient decoder, not canonical.
    const body = single.slice(10);
    const shifted = `0xe9ae5c53${body.slice(0, 64)}${(0x60).toString(16).padStart(64, '0')}${'00'.repeat(32)}${body.slice(128)}` as Hex;
    unsupported(shifted, /canonical/);
    // Non-zero padding after the bytes.
    unsupported(`${single.slice(0, -2)}01` as Hex, /canonical|decodable/);

    const batch = encodeExecuteBatch([randomCall(), randomCall()]);
    unsupported(`${batch}${'00'.repeat(32)}` as Hex, /canonical/);
    // Trailing bytes inside executionCalldata (outer encoding canonical, inner not).
    const execs = encodeAbiParameters(refExecutions, [[{ target: addr(), value: 0n, callData: '0x' }]]);
    unsupported(encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [BATCH, `${execs}${'00'.repeat(32)}` as Hex] }), /batch executionCalldata is not canonically/);
    // Garbage executionCalldata in batch mode.
    unsupported(encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [BATCH, '0x1234'] }), /Execution\[\]/);
    // Empty batch.
    unsupported(encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [BATCH, encodeAbiParameters(refExecutions, [[]])] }), /no executions/);
    // Single executionCalldata too short for target + value.
    unsupported(encodeFunctionData({ abi: refAbi, functionName: 'execute', args: [ZERO32, hex(51)] }), /shorter/);
    // Not hex.
    unsupported('0xe9ae5c5' as Hex, /hex/);
    unsupported('hello' as Hex, /hex/);
  });
});

describe('Nexus nonce', () => {
  it('key = [3 zero bytes][mode][validator] (NonceLib; modulekit makeNonceKey = or(shr(88, vMode), validator))', () => {
    const v = '0x00000000008bDABA73cD9815d79069c247Eb4bDA' as Address;
    assert.equal(nexusNonceKey(v), BigInt(`0x000000${'00'}${v.slice(2)}`));
    assert.equal(nexusNonceKey(v), BigInt(v)); // mode 0: the address zero-extended
    assert.equal(nexusNonceKey(v, 1), BigInt(`0x000000${'01'}${v.slice(2)}`));
    // shr(88, bytes1 vMode as a left-aligned word) == vMode << 160
    assert.equal(nexusNonceKey(v, 1), ((1n << 248n) >> 88n) | BigInt(v));
    for (let i = 0; i < 10; i++) {
      const a = addr();
      assert.equal(nexusNonceKey(a) >> 160n, 0n);
      assert.ok(nexusNonceKey(a) < 1n << 192n);
    }
    assert.throws(() => nexusNonceKey('0x12' as Address), ChainError);
    assert.throws(() => nexusNonceKey(v, 256), ChainError);
  });

  it('full nonce = key << 64 | sequence, and back', () => {
    const v = addr();
    const key = nexusNonceKey(v);
    const nonce = encodeNonce({ key, sequence: 42n });
    assert.equal(nonce, (key << 64n) + 42n);
    // As a 32-byte word: 4 zero bytes, the validator, then the 8-byte sequence.
    assert.equal(`0x${nonce.toString(16).padStart(64, '0')}`, `0x00000000${v.slice(2).toLowerCase()}${'000000000000002a'}`);
    assert.deepEqual(decodeNexusNonce(nonce), { key, sequence: 42n, mode: 0, validator: v });
    assert.deepEqual(decodeNexusNonce(encodeNonce({ key: nexusNonceKey(v, 1), sequence: (1n << 64n) - 1n })), {
      key: nexusNonceKey(v, 1),
      sequence: (1n << 64n) - 1n,
      mode: 1,
      validator: v,
    });
    assert.throws(() => encodeNonce({ key: 1n << 192n, sequence: 0n }), ChainError);
    assert.throws(() => encodeNonce({ key, sequence: 1n << 64n }), ChainError);
  });
});
