// Smart Sessions: USE signatures in both encodings against independent constructions (encodePacked plus
// solady.js's compressed bytes for pre-v1), decoding and its refusals, the gas-estimation stub, permission
// ids and install / enable data against viem's human-readable struct ABI.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  encodeAbiParameters,
  encodeFunctionData,
  encodePacked,
  getAddress,
  hexToBigInt,
  keccak256,
  parseAbi,
  parseAbiParameters,
  recoverMessageAddress,
  stringToBytes,
  type Address,
  type Hex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  ChainError,
  STUB_ECDSA_SIGNATURE,
  decodeUseSignature,
  encodeEnableSessions,
  encodeRemoveSession,
  encodeSession,
  encodeSmartSessionsInstallData,
  encodeUseSignature,
  flzCompress,
  getPermissionId,
  stubSignature,
  type Session,
  type SmartSessionsVersion,
} from '../../src/chain/index.ts';

const hex = (n: number): Hex => bytesToHex(randomBytes(n));
const addr = (): Address => getAddress(hex(20));
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const SIG = `0x${'a1b2c3d4e5f60718'.repeat(8)}1b` as Hex;
// solady.js LibZip.flzCompress(abi.encode(bytes SIG)), see flz.test.ts.
const SIG_PRE_V1_PAYLOAD = '0x02000000e013000020e0131c20000841a1b2c3d4e5f60718e02f07001b2044e00e00040000000000';

const STRUCTS = [
  'struct PolicyData { address policy; bytes initData; }',
  'struct ERC7739Data { string[] allowedERC7739Content; PolicyData[] erc1271Policies; }',
  'struct ActionData { bytes4 actionTargetSelector; address actionTarget; PolicyData[] actionPolicies; }',
  'struct Session { address sessionValidator; bytes sessionValidatorInitData; bytes32 salt; PolicyData[] userOpPolicies; ERC7739Data erc7739Policies; ActionData[] actions; }',
] as const;

function randomSession(): Session {
  return {
    sessionValidator: addr(),
    sessionValidatorInitData: hex(20),
    salt: hex(32),
    userOpPolicies: [{ policy: addr(), initData: '0x' }],
    erc7739Policies: { allowedERC7739Content: ['Permit(address owner)'], erc1271Policies: [{ policy: addr(), initData: hex(40) }] },
    actions: [
      { actionTargetSelector: '0xa9059cbb', actionTarget: addr(), actionPolicies: [{ policy: addr(), initData: hex(3) }] },
      { actionTargetSelector: '0x12345678', actionTarget: addr(), actionPolicies: [] },
    ],
  };
}

function invalidSig(sig: Hex, version: SmartSessionsVersion, message: RegExp) {
  assert.throws(
    () => decodeUseSignature(sig, version),
    (e: unknown) => {
      assert.ok(e instanceof ChainError, `not a ChainError: ${e}`);
      assert.equal(e.code, 'INVALID_SESSION_SIGNATURE');
      assert.match(e.message, message);
      return true;
    },
  );
}

describe('USE signature', () => {
  it('v1 = 0x00 || permissionId || sig', () => {
    const permissionId = hex(32);
    assert.equal(encodeUseSignature({ permissionId, signature: SIG, version: 'v1' }), encodePacked(['bytes1', 'bytes32', 'bytes'], ['0x00', permissionId, SIG]));
  });

  it('pre-v1 = 0x00 || permissionId || flzCompress(abi.encode(bytes sig)) with solady.js bytes', () => {
    const permissionId = hex(32);
    const got = encodeUseSignature({ permissionId, signature: SIG, version: 'pre-v1' });
    assert.equal(got, encodePacked(['bytes1', 'bytes32', 'bytes'], ['0x00', permissionId, SIG_PRE_V1_PAYLOAD]));
    assert.equal(got, `0x00${permissionId.slice(2)}${SIG_PRE_V1_PAYLOAD.slice(2)}`);
  });

  it('decodes what it encodes, for random signatures, in both versions', () => {
    for (const version of ['pre-v1', 'v1'] as const) {
      for (let i = 0; i < 50; i++) {
        const permissionId = hex(32);
        const signature = i === 0 ? hex(1) : i === 1 ? hex(300) : hex(65);
        const encoded = encodeUseSignature({ permissionId, signature, version });
        assert.deepEqual(decodeUseSignature(encoded, version), { permissionId, signature });
        assert.deepEqual(decodeUseSignature(encoded.toUpperCase().replace('0X', '0x') as Hex, version), { permissionId, signature });
      }
    }
  });

  it('the two encodings differ (decoding with the wrong version does not give the signature back)', () => {
    const permissionId = hex(32);
    const pre = encodeUseSignature({ permissionId, signature: SIG, version: 'pre-v1' });
    assert.notEqual(decodeUseSignature(pre, 'v1').signature, SIG);
    invalidSig(encodeUseSignature({ permissionId, signature: SIG, version: 'v1' }), 'pre-v1', /FastLZ|abi.encode/);
  });

  it('refuses malformed signatures', () => {
    const pid = hex(32).slice(2);
    invalidSig(`0x01${pid}${SIG.slice(2)}` as Hex, 'v1', /mode byte 0x01 is not USE/);
    invalidSig(`0x02${pid}${SIG.slice(2)}` as Hex, 'pre-v1', /not USE/);
    invalidSig(`0x00${pid}` as Hex, 'v1', /shorter/);
    invalidSig('0x00' as Hex, 'pre-v1', /shorter/);
    invalidSig('0x0' as Hex, 'v1', /hex/);
    invalidSig(`0x00${pid}05616263` as Hex, 'pre-v1', /FastLZ/); // truncated literal run
    invalidSig(`0x00${pid}${flzCompress(bytesToHex(stringToBytes('not abi'))).slice(2)}` as Hex, 'pre-v1', /abi.encode\(bytes\)/);
    // abi.encode(bytes) with trailing data
    const trailing = flzCompress(`${encodeAbiParameters([{ type: 'bytes' }], [SIG])}${'00'.repeat(32)}` as Hex);
    invalidSig(`0x00${pid}${trailing.slice(2)}` as Hex, 'pre-v1', /canonical/);
  });

  it('refuses bad arguments', () => {
    const bad = (f: () => unknown) => assert.throws(f, (e: unknown) => e instanceof ChainError && e.code === 'INVALID_ARGUMENT');
    bad(() => encodeUseSignature({ permissionId: hex(31), signature: SIG, version: 'v1' }));
    bad(() => encodeUseSignature({ permissionId: hex(32), signature: '0x', version: 'v1' }));
    bad(() => encodeUseSignature({ permissionId: hex(32), signature: '0x123' as Hex, version: 'v1' }));
    bad(() => encodeUseSignature({ permissionId: hex(32), signature: SIG, version: 'v2' as SmartSessionsVersion }));
    bad(() => decodeUseSignature(`0x00${'00'.repeat(40)}`, 'v0' as SmartSessionsVersion));
  });
});

describe('stub signature', () => {
  it('is a valid-shaped ECDSA signature: recovers, low s, v = 28', async () => {
    const key = keccak256(stringToBytes('dan-node stub signature key'));
    const hash = keccak256(stringToBytes('dan-node stub userOpHash'));
    assert.equal(await recoverMessageAddress({ message: { raw: hash }, signature: STUB_ECDSA_SIGNATURE }), privateKeyToAccount(key).address);
    assert.equal((STUB_ECDSA_SIGNATURE.length - 2) / 2, 65);
    const r = hexToBigInt(`0x${STUB_ECDSA_SIGNATURE.slice(2, 66)}`);
    const s = hexToBigInt(`0x${STUB_ECDSA_SIGNATURE.slice(66, 130)}`);
    assert.ok(r > 0n && r < SECP256K1_N);
    assert.ok(s > 0n && s <= SECP256K1_N / 2n);
    assert.equal(STUB_ECDSA_SIGNATURE.slice(130), '1c');
  });

  it('has the length of a real USE signature (at least as long as any of 2000 random signatures, pre-v1)', () => {
    const permissionId = hex(32);
    assert.equal((stubSignature(permissionId, 'v1').length - 2) / 2, 1 + 32 + 65);
    const stubLen = (stubSignature(permissionId, 'pre-v1').length - 2) / 2;
    assert.equal(stubLen, 1 + 32 + 94);
    let longest = 0;
    for (let i = 0; i < 2000; i++) {
      const signature = `${hex(64)}${i % 2 ? '1b' : '1c'}` as Hex;
      longest = Math.max(longest, (encodeUseSignature({ permissionId, signature, version: 'pre-v1' }).length - 2) / 2);
    }
    assert.ok(stubLen >= longest, `stub ${stubLen} < ${longest}`);
    assert.deepEqual(decodeUseSignature(stubSignature(permissionId, 'pre-v1'), 'pre-v1'), { permissionId, signature: STUB_ECDSA_SIGNATURE });
  });
});

describe('sessions', () => {
  it('getPermissionId = keccak256(abi.encode(sessionValidator, sessionValidatorInitData, salt))', () => {
    for (let i = 0; i < 10; i++) {
      const s = randomSession();
      const expected = keccak256(encodeAbiParameters(parseAbiParameters('address, bytes, bytes32'), [s.sessionValidator, s.sessionValidatorInitData, s.salt]));
      assert.equal(getPermissionId(s), expected);
      // Policies and actions do not enter the id.
      assert.equal(getPermissionId({ ...s, userOpPolicies: [], actions: [] } as Session), expected);
    }
    assert.throws(() => getPermissionId({ sessionValidator: addr(), sessionValidatorInitData: '0x', salt: '0x01' }), (e: unknown) => e instanceof ChainError && e.field === 'session.salt');
  });

  it('install data = abi.encode(Session[]) and enableSessions calldata, against viem human-readable structs', () => {
    const sessions = [randomSession(), randomSession()];
    assert.equal(encodeSmartSessionsInstallData(sessions), encodeAbiParameters(parseAbiParameters(['Session[]', ...STRUCTS]), [sessions]));
    assert.equal(encodeSmartSessionsInstallData([]), '0x');
    assert.equal(encodeSession(sessions[0]), encodeAbiParameters(parseAbiParameters(['Session', ...STRUCTS]), [sessions[0]]));
    const abi = parseAbi(['function enableSessions(Session[] sessions) returns (bytes32[])', 'function removeSession(bytes32 permissionId)', ...STRUCTS]);
    assert.equal(encodeEnableSessions(sessions), encodeFunctionData({ abi, functionName: 'enableSessions', args: [sessions] }));
    const pid = getPermissionId(sessions[0]);
    assert.equal(encodeRemoveSession(pid), encodeFunctionData({ abi, functionName: 'removeSession', args: [pid] }));
  });

  it('refuses malformed sessions', () => {
    const s = randomSession();
    assert.throws(() => encodeEnableSessions([]), (e: unknown) => e instanceof ChainError && e.code === 'INVALID_SESSION');
    assert.throws(() => encodeEnableSessions([s, { ...s, sessionValidator: '0x12' as Address }]), (e: unknown) => e instanceof ChainError && e.field === 'sessions[1].sessionValidator');
    assert.throws(
      () => encodeSmartSessionsInstallData([{ ...s, actions: [{ actionTargetSelector: '0x1234', actionTarget: addr(), actionPolicies: [] }] }]),
      (e: unknown) => e instanceof ChainError && e.code === 'INVALID_SESSION',
    );
  });
});
