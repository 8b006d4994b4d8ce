// Nexus 1.0.x (ERC-7579 smart account by Biconomy): userOp nonce keys and `execute` calldata.
//
// Read from the Nexus sources (bcnmy/nexus): contracts/Nexus.sol (`execute(ExecutionMode mode, bytes
// executionCalldata)`, ExecutionMode = bytes32), contracts/lib/ModeLib.sol (mode = callType(1) ||
// execType(1) || unused(4) || modeSelector(4) || payload(22); CALLTYPE_SINGLE 0x00, CALLTYPE_BATCH 0x01,
// CALLTYPE_STATIC 0xfe, CALLTYPE_DELEGATECALL 0xff; EXECTYPE_DEFAULT 0x00, EXECTYPE_TRY 0x01),
// contracts/lib/ExecLib.sol (single = abi.encodePacked(target, value, callData); batch =
// abi.encode(Execution[]) with Execution = (address target, uint256 value, bytes callData)) and
// contracts/lib/NonceLib.sol (nonce = [3 bytes empty][1 byte validation mode][20 bytes validator]
// [8 bytes sequence]; MODE_VALIDATION 0x00, MODE_MODULE_ENABLE 0x01). modulekit 0.5.9's NexusHelpers
// builds the same key: `or(shr(88, vMode), validator)`.
//
// The 192-bit EntryPoint nonce key is the top 24 bytes; with the default validation mode 0x00 it is the
// validator address zero-extended, and EntryPoint.getNonce(sender, key) returns key << 64 | sequence.
//
// `decodeExecute` is what nodes use to check policies, so it accepts exactly what `encodeExecute` /
// `encodeExecuteBatch` produce: the `execute` selector, mode single or batch with default exec type and
// zero selector/payload, canonical ABI encoding (re-encoded and compared byte for byte), no trailing
// bytes. Anything else (delegatecall, staticcall, try mode, other selectors such as executeUserOp or
// installModule, non-canonical offsets, dirty padding) throws ChainError 'UNSUPPORTED_CALLDATA'.

import {
  decodeAbiParameters,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  isAddress,
  toFunctionSelector,
  type Address,
  type Hex,
} from 'viem';
import { ChainError, fail } from './errors.ts';

/** A call made by the account. `value` defaults to 0, `data` to '0x'. */
export interface Call {
  to: Address;
  value?: bigint;
  data?: Hex;
}

/** A decoded call, all fields present. */
export interface DecodedCall {
  to: Address;
  value: bigint;
  data: Hex;
}

export const nexusExecuteAbi = [
  {
    type: 'function',
    name: 'execute',
    stateMutability: 'payable',
    inputs: [
      { name: 'mode', type: 'bytes32' },
      { name: 'executionCalldata', type: 'bytes' },
    ],
    outputs: [],
  },
] as const;

export const nexusInstallModuleAbi = [
  {
    type: 'function',
    name: 'installModule',
    stateMutability: 'payable',
    inputs: [
      { name: 'moduleTypeId', type: 'uint256' },
      { name: 'module', type: 'address' },
      { name: 'initData', type: 'bytes' },
    ],
    outputs: [],
  },
] as const;

/** `execute(bytes32,bytes)` selector (0xe9ae5c53). */
export const EXECUTE_SELECTOR: Hex = toFunctionSelector('execute(bytes32,bytes)');

/** ERC-7579 execution modes this module produces. */
export const EXECUTION_MODE = {
  /** callType single, execType default. */
  SINGLE: `0x${'00'.repeat(32)}` as Hex,
  /** callType batch (0x01 in the high byte), execType default. */
  BATCH: `0x01${'00'.repeat(31)}` as Hex,
} as const;

/** ERC-7579 module type ids. */
export const MODULE_TYPE = { VALIDATOR: 1n, EXECUTOR: 2n, FALLBACK: 3n, HOOK: 4n } as const;

/** Nexus validation modes (byte 3 of the nonce). */
export const NEXUS_VALIDATION_MODE = { VALIDATE: 0x00, MODULE_ENABLE: 0x01 } as const;

const executionsParam = [
  {
    type: 'tuple[]',
    components: [
      { name: 'target', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'callData', type: 'bytes' },
    ],
  },
] as const;

const UINT256_MAX = (1n << 256n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function normaliseCall(call: Call, field: string): DecodedCall {
  if (typeof call !== 'object' || call === null) fail('INVALID_CALL', `${field} must be an object`, field);
  if (typeof call.to !== 'string' || !isAddress(call.to, { strict: false })) fail('INVALID_CALL', `${field}.to must be an address`, `${field}.to`);
  const value = call.value ?? 0n;
  if (typeof value !== 'bigint' || value < 0n || value > UINT256_MAX) fail('INVALID_CALL', `${field}.value must be a uint256 bigint`, `${field}.value`);
  const data = call.data ?? '0x';
  if (typeof data !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(data)) fail('INVALID_CALL', `${field}.data must be 0x-hex of whole bytes`, `${field}.data`);
  return { to: getAddress(call.to), value, data: data.toLowerCase() as Hex };
}

/** executionCalldata of a single call: abi.encodePacked(target, value, callData). */
export function encodeSingleExecution(call: Call): Hex {
  const c = normaliseCall(call, 'call');
  return `0x${c.to.slice(2).toLowerCase()}${c.value.toString(16).padStart(64, '0')}${c.data.slice(2)}`;
}

/** executionCalldata of a batch: abi.encode(Execution[]). */
export function encodeBatchExecution(calls: readonly Call[]): Hex {
  if (!Array.isArray(calls) || calls.length === 0) fail('INVALID_CALL', 'calls must be a non-empty array', 'calls');
  const norm = calls.map((c, i) => normaliseCall(c, `calls[${i}]`));
  return encodeAbiParameters(executionsParam, [norm.map((c) => ({ target: c.to, value: c.value, callData: c.data }))]);
}

/** Nexus `execute(0x00.., encodePacked(target, value, data))` calldata for one call. */
export function encodeExecute(call: Call): Hex {
  return encodeFunctionData({ abi: nexusExecuteAbi, functionName: 'execute', args: [EXECUTION_MODE.SINGLE, encodeSingleExecution(call)] });
}

/** Nexus `execute(0x01 00.., abi.encode(Execution[]))` calldata (ERC-7579 batch mode). */
export function encodeExecuteBatch(calls: readonly Call[]): Hex {
  return encodeFunctionData({ abi: nexusExecuteAbi, functionName: 'execute', args: [EXECUTION_MODE.BATCH, encodeBatchExecution(calls)] });
}

/** One call -> single mode, several -> batch mode. */
export function encodeCalls(calls: readonly Call[]): Hex {
  if (!Array.isArray(calls) || calls.length === 0) fail('INVALID_CALL', 'calls must be a non-empty array', 'calls');
  return calls.length === 1 ? encodeExecute(calls[0]) : encodeExecuteBatch(calls);
}

function unsupported(message: string): never {
  throw new ChainError('UNSUPPORTED_CALLDATA', message, 'callData');
}

/**
 * Decode Nexus `execute` calldata produced by encodeExecute / encodeExecuteBatch into its calls (one for
 * single mode, one or more for batch mode). Strict: anything else throws ChainError 'UNSUPPORTED_CALLDATA'
 * (see the file header).
 */
export function decodeExecute(callData: Hex): DecodedCall[] {
  if (typeof callData !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(callData)) unsupported('callData must be 0x-hex of whole bytes');
  const hex = callData.toLowerCase() as Hex;
  if (hex.length < 10) unsupported('callData is shorter than a selector');
  const selector = hex.slice(0, 10);
  if (selector !== EXECUTE_SELECTOR) unsupported(`selector ${selector} is not execute(bytes32,bytes)`);

  let mode: Hex;
  let execution: Hex;
  try {
    [mode, execution] = decodeAbiParameters(nexusExecuteAbi[0].inputs, `0x${hex.slice(10)}`);
  } catch {
    unsupported('execute arguments are not ABI-decodable');
  }
  // Canonical encoding only: re-encode and compare (rejects odd offsets, dirty padding, trailing bytes).
  if (encodeFunctionData({ abi: nexusExecuteAbi, functionName: 'execute', args: [mode, execution] }) !== hex) {
    unsupported('execute calldata is not canonically ABI-encoded (offsets, padding or trailing bytes)');
  }

  const callType = mode.slice(2, 4);
  const execType = mode.slice(4, 6);
  if (callType === 'ff') unsupported('delegatecall execution mode is not supported');
  if (callType === 'fe') unsupported('staticcall execution mode is not supported');
  if (callType !== '00' && callType !== '01') unsupported(`unknown call type 0x${callType}`);
  if (execType !== '00') unsupported(`exec type 0x${execType} is not supported (only the default, revert-on-failure)`);
  if (/[^0]/.test(mode.slice(6))) unsupported('execution mode selector and payload must be zero');

  if (callType === '00') {
    if (execution.length < 2 + 52 * 2) unsupported('single executionCalldata is shorter than target (20) + value (32)');
    const to = getAddress(`0x${execution.slice(2, 42)}`);
    const value = BigInt(`0x${execution.slice(42, 106)}`);
    return [{ to, value, data: `0x${execution.slice(106)}` }];
  }

  let executions: readonly { target: Address; value: bigint; callData: Hex }[];
  try {
    [executions] = decodeAbiParameters(executionsParam, execution);
  } catch {
    unsupported('batch executionCalldata is not an ABI-encoded Execution[]');
  }
  if (encodeAbiParameters(executionsParam, [executions]) !== execution) {
    unsupported('batch executionCalldata is not canonically ABI-encoded (offsets, padding or trailing bytes)');
  }
  if (executions.length === 0) unsupported('batch has no executions');
  return executions.map((e) => ({ to: getAddress(e.target), value: e.value, data: e.callData.toLowerCase() as Hex }));
}

/** Nexus `installModule(moduleTypeId, module, initData)` calldata. */
export function encodeInstallModule({ moduleTypeId, module, initData = '0x' }: { moduleTypeId: bigint; module: Address; initData?: Hex }): Hex {
  return encodeFunctionData({ abi: nexusInstallModuleAbi, functionName: 'installModule', args: [moduleTypeId, module, initData] });
}

/** 192-bit EntryPoint nonce key routing a Nexus userOp to `validator`: [3 zero bytes][mode][validator]. */
export function nexusNonceKey(validator: Address, mode: number = NEXUS_VALIDATION_MODE.VALIDATE): bigint {
  if (typeof validator !== 'string' || !isAddress(validator, { strict: false })) fail('INVALID_ARGUMENT', 'validator must be an address', 'validator');
  if (!Number.isInteger(mode) || mode < 0 || mode > 0xff) fail('INVALID_ARGUMENT', 'mode must be a byte', 'mode');
  return (BigInt(mode) << 160n) | BigInt(validator);
}

/** Full nonce from key and 64-bit sequence: key << 64 | sequence. */
export function encodeNonce({ key, sequence }: { key: bigint; sequence: bigint }): bigint {
  if (key < 0n || key >= 1n << 192n) fail('INVALID_ARGUMENT', 'nonce key must be a uint192', 'key');
  if (sequence < 0n || sequence > UINT64_MAX) fail('INVALID_ARGUMENT', 'nonce sequence must be a uint64', 'sequence');
  return (key << 64n) | sequence;
}

/** Split a Nexus nonce into key, sequence, validation mode and validator. */
export function decodeNexusNonce(nonce: bigint): { key: bigint; sequence: bigint; mode: number; validator: Address } {
  if (nonce < 0n || nonce > UINT256_MAX) fail('INVALID_ARGUMENT', 'nonce must be a uint256', 'nonce');
  const key = nonce >> 64n;
  return {
    key,
    sequence: nonce & UINT64_MAX,
    mode: Number((key >> 160n) & 0xffn),
    validator: getAddress(`0x${(key & ((1n << 160n) - 1n)).toString(16).padStart(40, '0')}`),
  };
}
