// Smart-account helpers for a distributed session key (Nexus 1.0.0 + pre-v1 Smart Sessions, as on
// the local devnet): the Smart Session for the key, a Nexus account whose owner keeps control
// through an owner ECDSA validator, and granting the session — the owner enables it in a userOp
// it signs itself, as the smart-account SDK's grantPermission does.
import {
  encodeFunctionData,
  parseAbi,
  toHex,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from 'viem';
import {
  createBundlerClient,
  encodeCalls,
  encodeNonce,
  encodeSmartSessionsInstallData,
  getPermissionId,
  nexusNonceKey,
  userOpHash,
  type Session,
  type UserOperationV07,
} from '../chain/index.ts';

/** Addresses of the deployed modules these helpers use (devnet.json `chain.contracts`). */
export interface SmartAccountContracts {
  entryPoint: Address;
  nexusFactory: Address;
  nexusBootstrap: Address;
  registry: Address;
  ownerValidator: Address;
  smartSessions: Address;
  sessionValidator: Address;
  allowAllPolicy: Address;
}

const factoryAbi = parseAbi([
  'function createAccount(bytes initData, bytes32 salt) payable returns (address)',
  'function computeAccountAddress(bytes initData, bytes32 salt) view returns (address)',
]);
const bootstrapAbi = parseAbi([
  'struct BootstrapConfig { address module; bytes data; }',
  'function getInitNexusWithSingleValidatorCalldata(BootstrapConfig validator, address registry, address[] attesters, uint8 threshold) view returns (bytes)',
]);
const nexusAbi = parseAbi(['function installModule(uint256 moduleTypeId, address module, bytes initData) payable']);
const entryPointAbi = parseAbi(['function getNonce(address sender, uint192 key) view returns (uint256)']);
const MODULE_TYPE_VALIDATOR = 1n;
/** A well-formed 65-byte ECDSA signature for gas estimation. */
const STUB: Hex = `0x${'ff'.repeat(32)}${'7f'.repeat(32)}1c`;

/**
 * The Smart Session that lets the distributed key `keyAddress` call exactly the given
 * (target, selector) pairs; each action and the userOp use the allow-all policy unless others are given.
 */
export function danSession(o: {
  contracts: Pick<SmartAccountContracts, 'sessionValidator' | 'allowAllPolicy'>;
  keyAddress: Address;
  actions: { target: Address; selector: Hex }[];
  salt?: Hex;
}): { session: Session; permissionId: Hex } {
  const allowAll = { policy: o.contracts.allowAllPolicy, initData: '0x' as Hex };
  const session: Session = {
    sessionValidator: o.contracts.sessionValidator,
    sessionValidatorInitData: o.keyAddress,
    salt: o.salt ?? toHex(0n, { size: 32 }),
    userOpPolicies: [allowAll],
    erc7739Policies: { allowedERC7739Content: [], erc1271Policies: [] },
    actions: o.actions.map((a) => ({ actionTargetSelector: a.selector, actionTarget: a.target, actionPolicies: [allowAll] })),
  };
  return { session, permissionId: getPermissionId(session) };
}

/** The counterfactual Nexus account of `owner` (OwnerValidator as its first validator). */
export async function nexusAccount(
  client: PublicClient,
  o: { contracts: SmartAccountContracts; owner: Address; salt?: Hex },
): Promise<{ address: Address; factory: Address; factoryData: Hex; deployed: boolean }> {
  const initData = await client.readContract({
    address: o.contracts.nexusBootstrap,
    abi: bootstrapAbi,
    functionName: 'getInitNexusWithSingleValidatorCalldata',
    args: [{ module: o.contracts.ownerValidator, data: o.owner }, o.contracts.registry, [], 0],
  });
  const salt = o.salt ?? toHex(0n, { size: 32 });
  const address = await client.readContract({ address: o.contracts.nexusFactory, abi: factoryAbi, functionName: 'computeAccountAddress', args: [initData, salt] });
  const code = await client.getCode({ address });
  return {
    address,
    factory: o.contracts.nexusFactory,
    factoryData: encodeFunctionData({ abi: factoryAbi, functionName: 'createAccount', args: [initData, salt] }),
    deployed: !!code && code !== '0x',
  };
}

/**
 * The owner grants sessions: one owner-signed userOp that deploys the account if needed and
 * installs Smart Sessions with the sessions enabled. The account must hold ETH for gas.
 * Returns the userOp hash once it is included (throws if it reverted).
 */
export async function grantSessions(
  client: PublicClient,
  o: {
    contracts: SmartAccountContracts;
    chainId: number;
    bundlerUrl: string;
    owner: LocalAccount;
    account: { address: Address; factory: Address; factoryData: Hex; deployed: boolean };
    sessions: Session[];
  },
): Promise<{ userOpHash: Hex; transactionHash: Hex }> {
  const bundler = createBundlerClient({ url: o.bundlerUrl, entryPoint: o.contracts.entryPoint });
  const key = nexusNonceKey(o.contracts.ownerValidator);
  const [sequence, fees] = await Promise.all([
    client.readContract({ address: o.contracts.entryPoint, abi: entryPointAbi, functionName: 'getNonce', args: [o.account.address, key] }),
    bundler.getUserOperationGasPrice(),
  ]);
  const callData = encodeFunctionData({
    abi: nexusAbi,
    functionName: 'installModule',
    args: [MODULE_TYPE_VALIDATOR, o.contracts.smartSessions, encodeSmartSessionsInstallData(o.sessions)],
  });
  const draft = {
    sender: o.account.address,
    nonce: encodeNonce({ key, sequence: sequence & ((1n << 64n) - 1n) }),
    ...(o.account.deployed ? {} : { factory: o.account.factory, factoryData: o.account.factoryData }),
    callData,
    maxFeePerGas: fees.maxFeePerGas,
    maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    signature: STUB,
  };
  const op: UserOperationV07 = { ...draft, ...(await bundler.estimateUserOperationGas(draft)) };
  const hash = userOpHash({ userOp: op, entryPoint: o.contracts.entryPoint, chainId: o.chainId });
  op.signature = await o.owner.signMessage({ message: { raw: hash } });
  const sent = await bundler.sendUserOperation(op);
  const receipt = await bundler.waitForUserOperationReceipt(sent, { timeoutMs: 60_000 });
  if (!receipt.success) throw new Error(`granting the session reverted (userOp ${sent})`);
  return { userOpHash: sent, transactionHash: receipt.receipt.transactionHash };
}

export { encodeCalls };
