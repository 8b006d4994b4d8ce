// danActions(): the dan-node network as a viem client extension, mirroring the smart-account
// SDK's DAN actions:
//   const dan = client.extend(danActions({ url, signer }));
//   const { keyId, address } = await dan.keyGen({ threshold: 2 });
//   const hash = await dan.useDistributedPermission({ keyId, permissionId, calls: [{ to, data }] });
// `signer` (a viem LocalAccount: the key's owner or an authorized signer) signs each request's
// authentication; the smart account defaults to the client's account.
// What the signer signs bounds the gas the account can be charged (docs/signing.md): fee caps
// (default: twice the client chain's current estimate) and maxCost (default: those caps times
// DEFAULT_MAX_GAS), and a nonce lane (default: random, so concurrent userOps do not queue).
import type { Address, Client, Hex, LocalAccount } from 'viem';
import { estimateFeesPerGas } from 'viem/actions';
import { createDanClient, type DanClient } from './index.ts';
import type { Call, JsonObject, KeyGenResult, SignUserOperationResult, UseDistributedPermissionResult, UserOperationJson } from '../rpc/index.ts';

export interface DanActionsConfig {
  /** Coordinator JSON-RPC URL. */
  url: string;
  /** Signs the EIP-712 authentication of every request (default: the client's account, if local). */
  signer?: LocalAccount;
  /** The network id (default: asked of the coordinator once; see createDanClient). */
  network?: string;
}

export interface UseDistributedPermissionArgs {
  keyId: string;
  permissionId: Hex;
  calls: { to: Address; value?: bigint; data?: Hex }[];
  /** The smart account; default: the client's account. */
  account?: Address;
  /** Fee caps, wei per gas; default: twice the current estimate of the client's chain. */
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  /** The most the account may pay for gas, wei; default: maxFeePerGas x DEFAULT_MAX_GAS. */
  maxCost?: bigint;
  /** Nonce lane, 0 to 2^24 - 1; default: random. */
  lane?: number;
  requestId?: string;
}

/** Gas (all limits together) that maxCost allows by default: ample for a Smart Sessions userOp. */
export const DEFAULT_MAX_GAS = 3_000_000n;

// A type alias, not an interface: viem's client.extend needs an index-signature-compatible type.
export type DanActions = {
  /** A session key: derived from the network's master key (instant), or with isolated: true a key of its own (a DKG, seconds). */
  keyGen(args: { threshold: number; parties?: number | string[]; authorizedSigners?: Address[]; expiresAt?: number; policy?: JsonObject; isolated?: boolean }): Promise<KeyGenResult>;
  /** Sign a prepared v0.7 userOp (every node recomputes its hash); returns the hash and signature. */
  sigGen(args: { keyId: string; userOperation: UserOperationJson; entryPoint: Address; chainId?: number }): Promise<SignUserOperationResult>;
  /** Build, sign, submit; resolves with the userOp hash (see useDistributedPermissionWithReceipt). */
  useDistributedPermission(args: UseDistributedPermissionArgs): Promise<Hex>;
  /** The same, waiting for inclusion: the hash and the receipt summary. */
  useDistributedPermissionWithReceipt(args: UseDistributedPermissionArgs): Promise<UseDistributedPermissionResult>;
};

const randomLane = () => crypto.getRandomValues(new Uint32Array(1))[0] & 0xffffff;

const hexq = (v: bigint | undefined): Hex | undefined => (v === undefined ? undefined : `0x${v.toString(16)}`);

export function danActions(config: DanActionsConfig) {
  return (client: Client): DanActions => {
    const signer = config.signer ?? (client.account?.type === 'local' ? (client.account as LocalAccount) : undefined);
    if (!signer) throw new TypeError('danActions: pass { signer } (a viem LocalAccount) or use a client with a local account');
    const dan: DanClient = createDanClient({ url: config.url, account: signer, network: config.network });
    const accountOf = (a?: Address) => {
      const account = a ?? client.account?.address;
      if (!account) throw new TypeError('useDistributedPermission: pass { account } (the smart account)');
      return account;
    };
    const feeCaps = async (a: UseDistributedPermissionArgs) => {
      if (a.maxFeePerGas !== undefined && a.maxPriorityFeePerGas !== undefined) return { maxFeePerGas: a.maxFeePerGas, maxPriorityFeePerGas: a.maxPriorityFeePerGas };
      let estimate;
      try {
        estimate = await estimateFeesPerGas(client);
      } catch (e) {
        throw new TypeError(`useDistributedPermission: pass maxFeePerGas and maxPriorityFeePerGas, or use a client whose chain can estimate fees (${(e as Error).message.split('\n')[0]})`);
      }
      return { maxFeePerGas: a.maxFeePerGas ?? estimate.maxFeePerGas * 2n, maxPriorityFeePerGas: a.maxPriorityFeePerGas ?? estimate.maxPriorityFeePerGas * 2n };
    };
    const permissionParams = async (a: UseDistributedPermissionArgs, waitForReceipt: boolean) => {
      const fees = await feeCaps(a);
      return {
        keyId: a.keyId,
        account: accountOf(a.account),
        permissionId: a.permissionId,
        calls: a.calls.map((c): Call => ({ to: c.to, ...(c.value ? { value: hexq(c.value) } : {}), ...(c.data ? { data: c.data } : {}) })),
        lane: a.lane ?? randomLane(),
        maxFeePerGas: hexq(fees.maxFeePerGas)!,
        maxPriorityFeePerGas: hexq(fees.maxPriorityFeePerGas)!,
        maxCost: hexq(a.maxCost ?? fees.maxFeePerGas * DEFAULT_MAX_GAS)!,
        waitForReceipt,
        requestId: a.requestId ?? crypto.randomUUID(),
      };
    };
    return {
      keyGen: (a) => dan.keyGen({ ...a, owner: signer.address }),
      sigGen: (a) =>
        dan.request('dan_signUserOperation', {
          keyId: a.keyId,
          userOperation: a.userOperation,
          entryPoint: a.entryPoint,
          chainId: a.chainId ?? client.chain?.id ?? 31337,
          requestId: crypto.randomUUID(),
        }),
      useDistributedPermission: async (a) => (await dan.request('dan_useDistributedPermission', await permissionParams(a, false))).userOpHash,
      useDistributedPermissionWithReceipt: async (a) => dan.request('dan_useDistributedPermission', await permissionParams(a, true)),
    };
  };
}
