// Building and submitting the userOps of dan_useDistributedPermission (ERC-4337 v0.7, Nexus +
// Smart Sessions): callData = Nexus execute (single call or ERC-7579 batch), nonce from the
// EntryPoint for the Smart Sessions validator key on the lane the user signed, fees from the
// bundler within the user's caps, gas estimated with a stub USE signature and refused when the
// most it could cost exceeds the user's maxCost; after signing, the USE signature is wrapped for
// the deployed Smart Sessions version and sent to the bundler.
// Lanes: Nexus reads the validator from bytes 4..23 of the nonce key and ignores the top 3 bytes,
// so each lane has its own EntryPoint sequence. One userOp per (account, lane) is in flight at a
// time: the next one on that lane waits until the previous is included or abandoned.
import { createPublicClient, http, numberToHex, type Address, type Hex, type PublicClient } from 'viem';
import {
  createBundlerClient,
  encodeCalls,
  encodeNonce,
  encodeUseSignature,
  stubSignature,
  toRpcUserOperation,
  type BundlerClient,
  type SmartSessionsVersion,
  type UserOperationV07,
} from '../chain/index.ts';
import { RequestError, maxGasCost, sessionNonceKey, type RequestChain } from '../requests/index.ts';
import { callsOf, type DanParams, type UserOperationJson } from '../rpc/index.ts';

/** The node's chain config, with what building and submitting userOps needs. */
export type CoordinatorChain = RequestChain & { smartSessionsVersion: SmartSessionsVersion; rpcUrl: string; bundlerUrl: string };

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

export class UserOps {
  readonly bundler: BundlerClient;
  private readonly client: PublicClient;
  /** (account, lane) -> the release of the userOp in flight on it. */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(readonly chain: CoordinatorChain) {
    this.bundler = createBundlerClient({ url: chain.bundlerUrl, entryPoint: chain.entryPoint });
    this.client = createPublicClient({ transport: http(chain.rpcUrl) });
  }

  /** Wait for `lane` of `account` to be free and take it; release it once the userOp is included or abandoned. */
  async takeLane(account: Address, lane: number): Promise<{ release(): void }> {
    const id = `${account.toLowerCase()}:${lane}`;
    for (;;) {
      const busy = this.lanes.get(id);
      if (!busy) break;
      await busy;
    }
    let release!: () => void;
    const done = new Promise<void>((r) => (release = r));
    this.lanes.set(id, done);
    return {
      release: () => {
        if (this.lanes.get(id) === done) this.lanes.delete(id);
        release();
      },
    };
  }

  /** The userOp for the request's calls, within its caps, with gas and fees filled and a stub signature. */
  async build(p: DanParams<'dan_useDistributedPermission'>, timings: Record<string, number> = {}): Promise<UserOperationV07> {
    let t = performance.now();
    const key = sessionNonceKey(p.lane ?? 0, this.chain.smartSessions);
    const [nonce, fees] = await Promise.all([
      this.client.readContract({ address: this.chain.entryPoint, abi: getNonceAbi, functionName: 'getNonce', args: [p.account, key] }),
      this.bundler.getUserOperationGasPrice(),
    ]);
    const min = (a: bigint, b: bigint) => (a < b ? a : b);
    const maxFeePerGas = min(fees.maxFeePerGas, BigInt(p.maxFeePerGas));
    const draft = {
      sender: p.account,
      nonce: encodeNonce({ key, sequence: nonce & ((1n << 64n) - 1n) }),
      callData: encodeCalls(callsOf(p.calls)),
      maxFeePerGas,
      maxPriorityFeePerGas: min(min(fees.maxPriorityFeePerGas, BigInt(p.maxPriorityFeePerGas)), maxFeePerGas),
      signature: stubSignature(p.permissionId, this.chain.smartSessionsVersion),
    };
    timings.chainMs = performance.now() - t;
    t = performance.now();
    // No paymaster: its gas fields (some bundlers return zeros) stay out of the userOp.
    const { callGasLimit, verificationGasLimit, preVerificationGas } = await this.bundler.estimateUserOperationGas(draft);
    timings.estimateMs = performance.now() - t;
    const op = { ...draft, callGasLimit, verificationGasLimit, preVerificationGas };
    const cost = maxGasCost(op);
    if (cost > BigInt(p.maxCost)) {
      throw new RequestError('CAP_EXCEEDED', `the userOp may cost up to ${cost} wei in gas (bundler estimate at ${op.maxFeePerGas} wei/gas); the request allows maxCost ${BigInt(p.maxCost)}`, {
        field: 'maxCost',
        value: numberToHex(cost),
        cap: p.maxCost,
      });
    }
    return op;
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
