// What a key may sign, as bound at keyGen (the `policy` the owner signed) and checked by every node
// on the decoded calls of each userOp it is asked to sign. Shape (all optional):
//   { "chainId": 31337, "account": "0x…", "allow": [{ "target": "0x…", "selector": "0x12345678", "maxValue": "0x0" }] }
// chainId / account pin the chain and smart account; with `allow`, every call must match an entry
// (target, and selector when given, value at most maxValue, default 0). A key without a policy
// signs any userOp its owner asks for.
import { isAddress, type Address, type Hex } from 'viem';
import { NodeError } from './api.ts';

export interface AllowedCall {
  target: Address;
  selector?: Hex;
  maxValue?: bigint;
}

export interface KeyPolicy {
  chainId?: number;
  account?: Address;
  allow?: AllowedCall[];
}

export type { DecodedCall } from '../chain/index.ts';
import type { DecodedCall } from '../chain/index.ts';

const bad = (message: string): never => {
  throw new NodeError('BAD_CALL', `policy: ${message}`);
};

/** Parse the policy JSON signed at keyGen; a malformed policy is refused before the DKG starts. */
export function parsePolicy(raw: unknown): KeyPolicy {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return bad('must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['chainId', 'account', 'allow'].includes(k)) bad(`unknown field "${k}"`);
  const policy: KeyPolicy = {};
  if (o.chainId !== undefined) policy.chainId = Number.isSafeInteger(o.chainId) && (o.chainId as number) > 0 ? (o.chainId as number) : bad('chainId must be a positive integer');
  if (o.account !== undefined) policy.account = typeof o.account === 'string' && isAddress(o.account) ? (o.account as Address) : bad('account must be an address');
  if (o.allow !== undefined) {
    if (!Array.isArray(o.allow) || o.allow.length > 64) bad('allow must be an array of at most 64 entries');
    policy.allow = (o.allow as unknown[]).map((e, i) => {
      if (typeof e !== 'object' || e === null) return bad(`allow[${i}] must be an object`);
      const { target, selector, maxValue } = e as Record<string, unknown>;
      if (typeof target !== 'string' || !isAddress(target)) bad(`allow[${i}].target must be an address`);
      if (selector !== undefined && (typeof selector !== 'string' || !/^0x[0-9a-fA-F]{8}$/.test(selector))) bad(`allow[${i}].selector must be 4 bytes of 0x-hex`);
      if (maxValue !== undefined && (typeof maxValue !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(maxValue))) bad(`allow[${i}].maxValue must be a 0x-hex quantity`);
      return { target: target as Address, selector: selector as Hex | undefined, maxValue: maxValue === undefined ? undefined : BigInt(maxValue as string) };
    });
  }
  return policy;
}

/** Throws POLICY_VIOLATION with the reason when the userOp is outside the key's policy. */
export function checkPolicy(policy: KeyPolicy, op: { chainId: number; sender: Address; calls: DecodedCall[] | undefined }): void {
  const refuse = (reason: string): never => {
    throw new NodeError('POLICY_VIOLATION', reason);
  };
  if (policy.chainId !== undefined && op.chainId !== policy.chainId) refuse(`chain ${op.chainId} is not the key's chain ${policy.chainId}`);
  if (policy.account !== undefined && op.sender.toLowerCase() !== policy.account.toLowerCase()) refuse(`account ${op.sender} is not the key's account ${policy.account}`);
  if (!policy.allow) return;
  if (!op.calls) return refuse('the userOp calldata is not a Nexus execute call this node can check');
  op.calls.forEach((c, i) => {
    const selector = c.data.length >= 10 ? c.data.slice(0, 10).toLowerCase() : '0x';
    const ok = policy.allow!.some(
      (a) => a.target.toLowerCase() === c.to.toLowerCase() && (a.selector === undefined || a.selector.toLowerCase() === selector) && c.value <= (a.maxValue ?? 0n),
    );
    if (!ok) refuse(`call ${i} (to ${c.to}, selector ${selector}, value ${c.value}) is not allowed by the key's policy`);
  });
}
