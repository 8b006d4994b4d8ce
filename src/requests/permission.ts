// dan_useDistributedPermission: the userOp a coordinator built must be exactly what the user signed
// for. The user signs the calls, the account, the session (permissionId), the nonce lane, fee caps
// and maxCost; the coordinator chooses the rest (nonce sequence, gas limits, fees within the caps)
// and every node checks, on its own chain config:
// - sender = the account; callData = a Nexus execute of exactly the signed calls;
// - nonce key = lane ‖ mode 0 (validate) ‖ the Smart Sessions validator, the lane the user signed;
// - no factory (initCode) and no paymaster: the account exists and pays for its own gas;
// - maxFeePerGas and maxPriorityFeePerGas within the signed caps (and tip <= fee);
// - prefund = (callGasLimit + verificationGasLimit + preVerificationGas) x maxFeePerGas <= maxCost,
//   the most the account can be charged for gas (EntryPoint v0.7 charges at most the prefund).
// So a greedy coordinator (paid as the bundler's beneficiary) can take at most maxCost in gas, once
// per request (one requestId, one digest, on every node).
import type { Address } from 'viem';
import { decodeNexusNonce, nexusNonceKey } from '../chain/index.ts';
import { callsOf, type UseDistributedPermissionParams, type UserOperationJson } from '../rpc/schema.ts';
import { RequestError } from './errors.ts';
import { tryDecodeCalls, type DecodedCall } from './policy.ts';
import type { RequestChain } from './types.ts';

/** The nonce key of a session userOp on `lane`: lane (3 bytes) ‖ mode 0 ‖ validator (20 bytes). */
export function sessionNonceKey(lane: number, smartSessions: Address): bigint {
  return (BigInt(lane) << 168n) | nexusNonceKey(smartSessions);
}

/** The most a userOp can cost its account in gas, wei (its v0.7 prefund without a paymaster). */
export function maxGasCost(op: Record<'callGasLimit' | 'verificationGasLimit' | 'preVerificationGas' | 'maxFeePerGas', bigint | string>): bigint {
  return (BigInt(op.callGasLimit) + BigInt(op.verificationGasLimit) + BigInt(op.preVerificationGas)) * BigInt(op.maxFeePerGas);
}

/** Throws unless `op` is within what `request` signed; returns the decoded calls. */
export function checkPermissionUserOp(request: UseDistributedPermissionParams, op: UserOperationJson, chain: RequestChain): DecodedCall[] {
  const refuse = (message: string): never => {
    throw new RequestError('UNAUTHORIZED', `userOp refused: ${message}`);
  };
  if (op.sender.toLowerCase() !== request.account.toLowerCase()) refuse('its sender is not the account in the request');
  const calls = tryDecodeCalls(op.callData);
  if (!calls || !sameCalls(calls, request)) refuse('its calls differ from the calls in the request');
  const nonce = BigInt(op.nonce);
  const { key } = decodeNexusNonce(nonce);
  if (key !== sessionNonceKey(request.lane ?? 0, chain.smartSessions)) refuse(`its nonce key is not lane ${request.lane ?? 0} of the Smart Sessions validator`);
  if (op.factory !== undefined || op.factoryData !== undefined) refuse('it has a factory (initCode); the request names none');
  if (op.paymaster !== undefined || op.paymasterData !== undefined || op.paymasterVerificationGasLimit !== undefined || op.paymasterPostOpGasLimit !== undefined) {
    refuse('it has a paymaster; the request names none');
  }
  const over = (what: string, value: bigint, cap: bigint) => {
    if (value > cap) throw new RequestError('CAP_EXCEEDED', `userOp refused: ${what} ${value} exceeds the signed cap ${cap}`, { field: what, value: `0x${value.toString(16)}`, cap: `0x${cap.toString(16)}` });
  };
  over('maxFeePerGas', BigInt(op.maxFeePerGas), BigInt(request.maxFeePerGas));
  over('maxPriorityFeePerGas', BigInt(op.maxPriorityFeePerGas), BigInt(request.maxPriorityFeePerGas));
  over('maxPriorityFeePerGas', BigInt(op.maxPriorityFeePerGas), BigInt(op.maxFeePerGas));
  over('prefund', maxGasCost(op), BigInt(request.maxCost));
  return calls!;
}

function sameCalls(decoded: DecodedCall[], request: UseDistributedPermissionParams): boolean {
  const requested = callsOf(request.calls);
  return (
    decoded.length === requested.length &&
    decoded.every((d, i) => d.to.toLowerCase() === requested[i].to.toLowerCase() && d.value === requested[i].value && d.data.toLowerCase() === requested[i].data.toLowerCase())
  );
}
