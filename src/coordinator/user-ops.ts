// Building and submitting the userOps of dan_useDistributedPermission (ERC-4337 v0.7, Nexus +
// Smart Sessions): callData = Nexus execute (single call or ERC-7579 batch), nonce from the
// EntryPoint for the Smart Sessions validator key, fees from the bundler unless the request caps
// them, gas estimated with a stub USE signature, and after signing, the USE signature wrapped for
// the deployed Smart Sessions version and sent to the bundler.
// Concurrent requests for one account use separate nonce lanes: Nexus reads the validator from
// bytes 4..23 of the nonce and ignores the top 3 bytes, so each in-flight userOp takes a free lane
// (its own EntryPoint sequence) and never waits for or collides with another.
import { createPublicClient, http, numberToHex, type Address, type Hex, type PublicClient } from 'viem';
import {
  createBundlerClient,
  encodeCalls,
  encodeNonce,
  encodeUseSignature,
  nexusNonceKey,
  stubSignature,
  toRpcUserOperation,
  type BundlerClient,
  type SmartSessionsVersion,
  type UserOperationV07,
} from '../chain/index.ts';
import type { DanParams, UserOperationJson } from '../rpc/index.ts';

export interface CoordinatorChain {
  chainId: number;
  entryPoint: Address;
  smartSessions: Address;
  smartSessionsVersion: SmartSessionsVersion;
  rpcUrl: string;
  bundlerUrl: string;
}

const getNonceAbi = [
  {
    type: 'function',
    name: 'getNonce',
    stateMutability: 'view',
    inputs: [
      { name: 'sender', type: 'address' },
      { name: 'key', type: 'uint192' },
    ],
    outputs: [{ name: 'nonce', type: 'uint256' }],
  },
] as const;

const LANES = 1 << 24;

export class UserOps {
  readonly bundler: BundlerClient;
  private readonly client: PublicClient;
  private readonly lanes = new Map<string, Set<number>>(); // account -> lanes in use

  constructor(readonly chain: CoordinatorChain) {
    this.bundler = createBundlerClient({ url: chain.bundlerUrl, entryPoint: chain.entryPoint });
    this.client = createPublicClient({ transport: http(chain.rpcUrl) });
  }

  /** Reserve a nonce lane for `account`; release it once the userOp is included or abandoned. */
  takeLane(account: Address): { lane: number; release(): void } {
    const key = account.toLowerCase();
    const used = this.lanes.get(key) ?? new Set<number>();
    this.lanes.set(key, used);
    let lane = 0;
    while (used.has(lane) && lane < LANES) lane++;
    used.add(lane);
    return { lane, release: () => used.delete(lane) };
  }

  /** The userOp for the request's calls, with gas and fees filled and a stub signature. */
  async build(p: DanParams<'dan_useDistributedPermission'>, lane: number, timings: Record<string, number> = {}): Promise<UserOperationV07> {
    let t = performance.now();
    const key = (BigInt(lane) << 168n) | nexusNonceKey(this.chain.smartSessions);
    const [nonce, fees] = await Promise.all([
      p.nonce !== undefined
        ? Promise.resolve(BigInt(p.nonce))
        : this.client.readContract({ address: this.chain.entryPoint, abi: getNonceAbi, functionName: 'getNonce', args: [p.account, key] }),
      p.maxFeePerGas !== undefined && p.maxPriorityFeePerGas !== undefined ? Promise.resolve(undefined) : this.bundler.getUserOperationGasPrice(),
    ]);
    const maxFeePerGas = p.maxFeePerGas !== undefined ? BigInt(p.maxFeePerGas) : fees!.maxFeePerGas;
    const tip = p.maxPriorityFeePerGas !== undefined ? BigInt(p.maxPriorityFeePerGas) : fees!.maxPriorityFeePerGas;
    const draft = {
      sender: p.account,
      nonce: p.nonce !== undefined ? nonce : encodeNonce({ key, sequence: nonce & ((1n << 64n) - 1n) }),
      callData: encodeCalls(p.calls.map((c) => ({ to: c.to, value: BigInt(c.value ?? '0x0'), data: c.data ?? '0x' }))),
      maxFeePerGas,
      maxPriorityFeePerGas: tip > maxFeePerGas ? maxFeePerGas : tip,
      signature: stubSignature(p.permissionId, this.chain.smartSessionsVersion),
    };
    timings.chainMs = performance.now() - t;
    t = performance.now();
    const gas = await this.bundler.estimateUserOperationGas(draft);
    timings.estimateMs = performance.now() - t;
    return { ...draft, ...gas };
  }

  /** The JSON form the nodes receive. */
  json(op: UserOperationV07): UserOperationJson {
    const rpc = toRpcUserOperation(op);
    return { ...rpc, nonce: numberToHex(op.nonce) } as UserOperationJson;
  }

  /** Wrap the threshold signature as a Smart Sessions USE signature and submit. */
  submit(op: UserOperationV07, permissionId: Hex, signature: Hex): Promise<Hex> {
    return this.bundler.sendUserOperation({ ...op, signature: encodeUseSignature({ permissionId, signature, version: this.chain.smartSessionsVersion }) });
  }
}
