// What a key may sign, as bound at keyGen (the `policy` the owner signed) and checked by the
// coordinator and every node on the decoded calls of each userOp. Shape (all optional):
//   { "chainId": 31337, "account": "0x…", "allow": [{ "target": "0x…", "selector": "0x12345678", "maxValue": "0x0" }],
//     "rawSigning": "owner" }
// chainId / account pin the chain and smart account; with `allow`, every call must match an entry
// (target, and selector when given, value at most maxValue, default 0). A key with a policy signs
// no raw digest (dan_sign: a digest could be any userOp's), unless `rawSigning` is "owner": then
// its owner (only) may. A key without a policy signs any userOp or digest its signers ask for.
import { isAddress, type Address, type Hex } from 'viem';
import { RequestError } from './errors.ts';

export interface AllowedCall {
  target: Address;
  selector?: Hex;
  maxValue?: bigint;
}

export interface KeyPolicy {
  chainId?: number;
  account?: Address;
  allow?: AllowedCall[];
  /** Who may sign raw digests on a key with a policy: nobody (absent) or its owner. */
  rawSigning?: 'owner';
}

export type { DecodedCall } from '../chain/index.ts';
import { decodeExecute, type DecodedCall } from '../chain/index.ts';

const bad = (message: string): never => {
  throw new RequestError('BAD_CALL', `policy: ${message}`);
};

/** Parse the policy JSON signed at keyGen; a malformed policy is refused before the DKG starts. */
export function parsePolicy(raw: unknown): KeyPolicy {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return bad('must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['chainId', 'account', 'allow', 'rawSigning'].includes(k)) bad(`unknown field "${k}"`);
  const policy: KeyPolicy = {};
  if (o.rawSigning !== undefined) policy.rawSigning = o.rawSigning === 'owner' ? 'owner' : bad('rawSigning must be "owner" (or absent: no raw signing)');
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
    throw new RequestError('POLICY_VIOLATION', reason);
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

/** True when the key has a policy (any field): then raw digests need `rawSigning`. */
export function hasPolicy(policy: KeyPolicy): boolean {
  return Object.keys(policy).length > 0;
}

/** Throws POLICY_VIOLATION unless `signer` may have raw digests signed with a key of this policy. */
export function checkRawSigning(policy: KeyPolicy, signer: string, owner: string): void {
  if (!hasPolicy(policy)) return;
  if (policy.rawSigning !== 'owner') throw new RequestError('POLICY_VIOLATION', 'this key has a policy: raw digests (dan_sign) are not signed; use dan_signUserOperation or dan_useDistributedPermission');
  if (signer.toLowerCase() !== owner.toLowerCase()) throw new RequestError('POLICY_VIOLATION', "this key's policy allows raw digests (dan_sign) for its owner only");
}

/** The calls of a Nexus execute callData, or undefined when it is not one that can be checked. */
export function tryDecodeCalls(callData: Hex): DecodedCall[] | undefined {
  try {
    return decodeExecute(callData);
  } catch {
    return undefined;
  }
}
