// The chain module against the real contract bytecode, on a throwaway anvil (random loopback port):
// - userOpHash == EntryPoint v0.7 getUserOpHash (@account-abstraction/contracts 0.7.0 artifact),
// - getPermissionId == SmartSession.getPermissionId (modulekit 0.5.9 SMART_SESSION_DEPLOYED_BYTECODE),
// - the pre-v1 USE signature is what that SmartSession build decodes: validateUserOp hands exactly our
//   65-byte signature to the session validator (a test validator that accepts only the signature stored as
//   its config), and refuses the v1 encoding,
// - encodeExecute / encodeExecuteBatch make Nexus 1.0.0 (modulekit 0.5.9 NEXUS_BYTECODE) perform exactly
//   the calls (a recorder contract logs sender, value and data).
// Bytecode is read from node_modules at test time (never committed); the test contracts are compiled with
// npm solc. Skipped when anvil or the packages are missing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { toPackedUserOperation, type UserOperation } from 'viem/account-abstraction';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import {
  bytesToHex,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeEventLog,
  encodeAbiParameters,
  getAddress,
  http,
  parseAbi,
  parseEther,
  type Address,
  type Hex,
  type PublicClient,
} from 'viem';
import { foundry } from 'viem/chains';
import {
  ENTRYPOINT_V07_ADDRESS,
  encodeExecute,
  encodeExecuteBatch,
  encodeSmartSessionsInstallData,
  encodeUseSignature,
  flzCompress,
  getPermissionId,
  smartSessionsAbi,
  userOpHash,
  type Session,
  type UserOperationV07,
} from '../../src/chain/index.ts';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const ANVIL = `${root}node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil`;
const PRECOMPILES = `${root}node_modules/@rhinestone/modulekit/src/deployment/precompiles/`;
const ENTRYPOINT_ARTIFACT = `${root}node_modules/@account-abstraction/contracts/artifacts/EntryPoint.json`;
const available = existsSync(ANVIL) && existsSync(`${PRECOMPILES}SmartSessionsPrecompiles.sol`) && existsSync(ENTRYPOINT_ARTIFACT);

const SMART_SESSIONS: Address = getAddress('0x0000000071727De22e5E9D8bAF0EDAc6F37da034'); // where modulekit etches it
const REGISTRY: Address = getAddress('0x000000000069E2a187AEFFb852bF3cCdC95151B2'); // ERC-7484 registry the build calls
const ACCOUNT: Address = getAddress('0x00000000000000000000000000000000000ACC01');

function solidityHexConstant(file: string, name: string): Hex {
  const src = readFileSync(`${PRECOMPILES}${file}`, 'utf8');
  const m = new RegExp(`${name}\\s*=\\s*hex"([0-9a-fA-F]+)"`).exec(src);
  if (!m) throw new Error(`${name} not found in ${file}`);
  return `0x${m[1]}`;
}

// Test contracts (ours): a session validator accepting exactly the signature stored as its config, an
// allow-all policy, a call recorder, and a stand-in smart account that forwards calls.
const TEST_CONTRACTS = `
// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
struct PackedUserOperation { address sender; uint256 nonce; bytes initCode; bytes callData; bytes32 accountGasLimits;
  uint256 preVerificationGas; bytes32 gasFees; bytes paymasterAndData; bytes signature; }
contract ExactSignatureValidator {
  function validateSignatureWithData(bytes32, bytes calldata sig, bytes calldata data) external pure returns (bool) {
    return keccak256(sig) == keccak256(data);
  }
  function supportsInterface(bytes4) external pure returns (bool) { return true; }
  function isModuleType(uint256) external pure returns (bool) { return true; }
  function isInitialized(address) external pure returns (bool) { return true; }
  function onInstall(bytes calldata) external {}
  function onUninstall(bytes calldata) external {}
}
contract AllowAllPolicy {
  function checkUserOpPolicy(bytes32, PackedUserOperation calldata) external pure returns (uint256) { return 0; }
  function checkAction(bytes32, address, address, uint256, bytes calldata) external pure returns (uint256) { return 0; }
  function initializeWithMultiplexer(address, bytes32, bytes calldata) external {}
  function isInitialized(address, bytes32) external pure returns (bool) { return true; }
  function isInitialized(address, address, bytes32) external pure returns (bool) { return true; }
  function supportsInterface(bytes4) external pure returns (bool) { return true; }
  function isModuleType(uint256) external pure returns (bool) { return true; }
  function isInitialized(address) external pure returns (bool) { return true; }
  function onInstall(bytes calldata) external {}
  function onUninstall(bytes calldata) external {}
}
contract Recorder {
  event Called(address from, uint256 value, bytes data);
  fallback() external payable { emit Called(msg.sender, msg.value, msg.data); }
}
contract ForwardingAccount {
  function isModuleInstalled(uint256, address, bytes calldata) external pure returns (bool) { return true; }
  function forward(address to, bytes calldata data) external returns (bytes memory) {
    (bool ok, bytes memory r) = to.call(data);
    if (!ok) assembly { revert(add(r, 32), mload(r)) }
    return r;
  }
}
`;

function compileTestContracts(): Record<string, { abi: unknown[]; bytecode: Hex; runtime: Hex }> {
  const solc = require('solc');
  const input = {
    language: 'Solidity',
    sources: { 'T.sol': { content: TEST_CONTRACTS } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
  const result: Record<string, { abi: unknown[]; bytecode: Hex; runtime: Hex }> = {};
  for (const [name, c] of Object.entries(out.contracts['T.sol'] as Record<string, { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }>)) {
    result[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, runtime: `0x${c.evm.deployedBytecode.object}` };
  }
  return result;
}

const hex = (n: number): Hex => bytesToHex(randomBytes(n));
const addr = (): Address => getAddress(hex(20));

describe('chain module against contract bytecode (anvil)', { skip: !available && 'anvil or contract packages not installed' }, () => {
  let anvil: ChildProcess | undefined;
  let url: string;
  let pub: PublicClient;
  let test: ReturnType<typeof createTestClient>;
  let contracts: ReturnType<typeof compileTestContracts>;

  before(async () => {
    anvil = spawn(ANVIL, ['--host', '127.0.0.1', '--port', '0', '--chain-id', '31337'], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`anvil did not start: ${out}`)), 15_000);
      anvil!.stdout!.on('data', (d) => {
        out += d;
        const m = /Listening on (127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`http://${m[1]}`);
        }
      });
      anvil!.once('exit', (code) => reject(new Error(`anvil exited with ${code}: ${out}`)));
    });
    pub = createPublicClient({ chain: foundry, transport: http(url) });
    test = createTestClient({ chain: foundry, mode: 'anvil', transport: http(url) });
    contracts = compileTestContracts();
  });

  after(() => {
    if (anvil && anvil.exitCode === null) anvil.kill('SIGTERM');
  });

  it('userOpHash equals EntryPoint v0.7 getUserOpHash', async () => {
    const artifact = JSON.parse(readFileSync(ENTRYPOINT_ARTIFACT, 'utf8'));
    const code = artifact.deployedBytecode as Hex;
    const abi = parseAbi([
      'function getUserOpHash((address sender, uint256 nonce, bytes initCode, bytes callData, bytes32 accountGasLimits, uint256 preVerificationGas, bytes32 gasFees, bytes paymasterAndData, bytes signature) userOp) view returns (bytes32)',
    ]);
    for (let i = 0; i < 8; i++) {
      const op: UserOperationV07 = {
        sender: addr(),
        nonce: BigInt(hex(32)),
        callData: hex(i * 13),
        callGasLimit: BigInt(hex(16)),
        verificationGasLimit: BigInt(hex(8)),
        preVerificationGas: BigInt(hex(32)),
        maxFeePerGas: BigInt(hex(16)),
        maxPriorityFeePerGas: BigInt(hex(3)),
        signature: hex(65),
      };
      if (i & 1) Object.assign(op, { factory: addr(), factoryData: hex(40) });
      if (i & 2) Object.assign(op, { paymaster: addr(), paymasterVerificationGasLimit: BigInt(hex(16)), paymasterPostOpGasLimit: 7n, paymasterData: hex(i) });
      const onChain = await pub.readContract({
        address: ENTRYPOINT_V07_ADDRESS,
        abi,
        functionName: 'getUserOpHash',
        args: [toPackedUserOperation(op as UserOperation<'0.7'>)],
        stateOverride: [{ address: ENTRYPOINT_V07_ADDRESS, code }],
      });
      assert.equal(userOpHash({ userOp: op, chainId: 31337 }), onChain);
    }
  });

  it('getPermissionId equals SmartSession.getPermissionId (pre-v1 build in modulekit 0.5.9)', async () => {
    const code = solidityHexConstant('SmartSessionsPrecompiles.sol', 'SMART_SESSION_DEPLOYED_BYTECODE');
    for (let i = 0; i < 5; i++) {
      const session: Session = {
        sessionValidator: addr(),
        sessionValidatorInitData: hex(i * 20),
        salt: hex(32),
        userOpPolicies: Array.from({ length: i }, () => ({ policy: addr(), initData: hex(i) })),
        erc7739Policies: { allowedERC7739Content: i ? ['Permit(address)'] : [], erc1271Policies: [] },
        actions: i ? [{ actionTargetSelector: '0xa9059cbb', actionTarget: addr(), actionPolicies: [{ policy: addr(), initData: '0x' }] }] : [],
      };
      const onChain = await pub.readContract({
        address: SMART_SESSIONS,
        abi: smartSessionsAbi,
        functionName: 'getPermissionId',
        args: [session],
        stateOverride: [{ address: SMART_SESSIONS, code }],
      });
      assert.equal(getPermissionId(session), onChain);
    }
  });

  it('the pre-v1 USE signature is what the modulekit 0.5.9 SmartSession decodes; the v1 encoding is refused', async () => {
    await test.setCode({ address: SMART_SESSIONS, bytecode: solidityHexConstant('SmartSessionsPrecompiles.sol', 'SMART_SESSION_DEPLOYED_BYTECODE') });
    await test.setCode({ address: REGISTRY, bytecode: '0x00' });
    await test.setCode({ address: ACCOUNT, bytecode: contracts.ForwardingAccount.runtime });
    const validator: Address = getAddress('0x00000000000000000000000000000000000A1100');
    const policy: Address = getAddress('0x00000000000000000000000000000000000A1200');
    const target: Address = getAddress('0x00000000000000000000000000000000000A1300');
    await test.setCode({ address: validator, bytecode: contracts.ExactSignatureValidator.runtime });
    await test.setCode({ address: policy, bytecode: contracts.AllowAllPolicy.runtime });
    await test.setCode({ address: target, bytecode: contracts.Recorder.runtime });

    const sig65 = `${hex(64)}1b` as Hex;
    const session: Session = {
      sessionValidator: validator,
      sessionValidatorInitData: sig65, // the validator accepts exactly this signature
      salt: hex(32),
      userOpPolicies: [{ policy, initData: '0x' }],
      erc7739Policies: { allowedERC7739Content: [], erc1271Policies: [] },
      actions: [{ actionTargetSelector: '0xa9059cbb', actionTarget: target, actionPolicies: [{ policy, initData: '0x' }] }],
    };
    const permissionId = getPermissionId(session);
    // The account installs Smart Sessions with the session (onInstall(abi.encode(Session[]))).
    const accountAbi = parseAbi(['function forward(address to, bytes data) returns (bytes)']);
    const wallet = createWalletClient({ chain: foundry, transport: http(url) });
    const [sender] = await wallet.getAddresses();
    const installHash = await wallet.writeContract({
      account: sender,
      address: ACCOUNT,
      abi: accountAbi,
      functionName: 'forward',
      args: [SMART_SESSIONS, `0x6d61fe70${encodeAbiParameters([{ type: 'bytes' }], [encodeSmartSessionsInstallData([session])]).slice(2)}`], // onInstall(bytes)
    });
    const installReceipt = await pub.waitForTransactionReceipt({ hash: installHash });
    assert.equal(installReceipt.status, 'success');
    assert.equal(await pub.readContract({ address: SMART_SESSIONS, abi: smartSessionsAbi, functionName: 'isPermissionEnabled', args: [permissionId, ACCOUNT] }), true);

    const validateAbi = parseAbi([
      'function validateUserOp((address sender, uint256 nonce, bytes initCode, bytes callData, bytes32 accountGasLimits, uint256 preVerificationGas, bytes32 gasFees, bytes paymasterAndData, bytes signature) userOp, bytes32 userOpHash) returns (uint256)',
    ]);
    const baseOp: UserOperationV07 = {
      sender: ACCOUNT,
      nonce: 0n,
      callData: encodeExecute({ to: target, data: '0xa9059cbb0000' }),
      callGasLimit: 100000n,
      verificationGasLimit: 500000n,
      preVerificationGas: 50000n,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 1n,
      signature: '0x',
    };
    const validate = async (signature: Hex): Promise<bigint> => {
      const op = { ...baseOp, signature };
      const { result } = await pub.simulateContract({
        account: ACCOUNT,
        address: SMART_SESSIONS,
        abi: validateAbi,
        functionName: 'validateUserOp',
        args: [toPackedUserOperation(op as UserOperation<'0.7'>), userOpHash({ userOp: op, chainId: 31337 })],
      });
      // ERC-4337 validation data: authorizer (low 160 bits: 0 ok, 1 signature failure) | validUntil << 160 | validAfter << 208.
      return result & ((1n << 160n) - 1n);
    };
    // Correct pre-v1 encoding: the validator received exactly sig65 -> success.
    assert.equal(await validate(encodeUseSignature({ permissionId, signature: sig65, version: 'pre-v1' })), 0n);
    // Another signature under the same encoding: the validator refuses -> SIG_VALIDATION_FAILED (1).
    assert.equal(await validate(encodeUseSignature({ permissionId, signature: `${hex(64)}1c` as Hex, version: 'pre-v1' })), 1n);
    // The v1 (uncompressed) encoding of the right signature does not reach the validator as sig65.
    const v1 = await validate(encodeUseSignature({ permissionId, signature: sig65, version: 'v1' })).catch(() => 'reverted' as const);
    assert.notEqual(v1, 0n);
    // Nor does the pre-v1 variant some module-sdk builds used, flzCompress(sig) without abi.encode.
    const rawCompressed = `0x00${permissionId.slice(2)}${flzCompress(sig65).slice(2)}` as Hex;
    assert.notEqual(await validate(rawCompressed).catch(() => 'reverted' as const), 0n);
  });

  it('Nexus 1.0.0 execute performs exactly the encoded calls (single and batch)', async () => {
    const wallet = createWalletClient({ chain: foundry, transport: http(url) });
    const [deployer] = await wallet.getAddresses();
    const creation = `${solidityHexConstant('NexusPrecompiles.sol', 'NEXUS_BYTECODE')}${encodeAbiParameters([{ type: 'address' }], [ENTRYPOINT_V07_ADDRESS]).slice(2)}` as Hex;
    const deployHash = await wallet.sendTransaction({ account: deployer, data: creation, gas: 15_000_000n });
    const deployed = await pub.waitForTransactionReceipt({ hash: deployHash });
    assert.equal(deployed.status, 'success');
    const nexus = getAddress(deployed.contractAddress!);
    await test.setBalance({ address: nexus, value: parseEther('10') });
    const recorderA: Address = getAddress('0x00000000000000000000000000000000000A1301');
    const recorderB: Address = getAddress('0x00000000000000000000000000000000000A1302');
    await test.setCode({ address: recorderA, bytecode: contracts.Recorder.runtime });
    await test.setCode({ address: recorderB, bytecode: contracts.Recorder.runtime });
    await test.impersonateAccount({ address: ENTRYPOINT_V07_ADDRESS });
    await test.setBalance({ address: ENTRYPOINT_V07_ADDRESS, value: parseEther('1') });
    const recorderAbi = parseAbi(['event Called(address from, uint256 value, bytes data)']);

    const run = async (callData: Hex) => {
      const hash = await wallet.sendTransaction({ account: ENTRYPOINT_V07_ADDRESS, to: nexus, data: callData, gas: 2_000_000n });
      const receipt = await pub.waitForTransactionReceipt({ hash });
      assert.equal(receipt.status, 'success');
      return receipt.logs
        .filter((l) => l.address.toLowerCase() === recorderA.toLowerCase() || l.address.toLowerCase() === recorderB.toLowerCase())
        .map((l) => ({ at: getAddress(l.address), ...decodeEventLog({ abi: recorderAbi, data: l.data, topics: l.topics }).args }));
    };

    const single = { to: recorderA, value: 12345n, data: '0xa9059cbb00000000000000000000000000000000000000000000000000000000000000aa' as Hex };
    assert.deepEqual(await run(encodeExecute(single)), [{ at: recorderA, from: nexus, value: 12345n, data: single.data }]);

    const calls = [
      { to: recorderB, value: 0n, data: '0x12345678' as Hex },
      { to: recorderA, value: 1n, data: hex(70) },
      { to: recorderB, value: 2n, data: '0x' as Hex },
    ];
    assert.deepEqual(
      await run(encodeExecuteBatch(calls)),
      calls.map((c) => ({ at: c.to, from: nexus, value: c.value, data: c.data })),
    );
    await test.stopImpersonatingAccount({ address: ENTRYPOINT_V07_ADDRESS });
  });
});
