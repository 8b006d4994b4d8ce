// Puts the devnet's contracts on a fresh anvil chain. Everything that has a constructor goes
// through the deterministic CREATE2 deployer (0x4e59...956C, pre-installed by anvil), so every
// address below is the same on every start (for our contracts: as long as their source is the same):
// - EntryPoint v0.7 with the canonical salt -> 0x0000000071727De22E5E9d8BAf0edAc6f37da032;
// - Nexus 1.0.0 implementation (constructor(entryPoint)), NexusAccountFactory
//   (constructor(implementation, owner = the deployer)), NexusBootstrap;
// - our DanSessionValidator, OwnerValidator, AllowAllPolicy and Counter (compiled from contracts/).
// Two pieces are placed with anvil_setCode: the pre-v1 Smart Sessions runtime code at the address
// modulekit uses, and a one-byte 0x00 contract at the ERC-7484 registry address (that Smart
// Sessions build calls the registry and reverts if it has no code).
import { concat, encodeAbiParameters, getAddress, getContractAddress, keccak256, type Address, type Hex } from 'viem';
import type { ThirdPartyBytecode } from './bytecode.ts';
import { DevChainError } from './errors.ts';
import { rpc } from './process.ts';
import type { CompiledContracts } from './solidity.ts';

export const CREATE2_DEPLOYER: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';
export const ENTRYPOINT_V07_SALT: Hex = '0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3';
export const ENTRYPOINT_V07_ADDRESS: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';
/** Where modulekit places Smart Sessions (SMARTSESSION_ADDR); we use the same address. */
export const SMART_SESSIONS_ADDRESS: Address = '0x0000000071727De22e5E9D8bAF0EDAc6F37da034';
/** The ERC-7484 module registry that Nexus and Smart Sessions refer to. */
export const ERC7484_REGISTRY_ADDRESS: Address = '0x000000000069E2a187AEFFb852bF3cCdC95151B2';
/** Salt for everything else the devnet deploys through CREATE2. */
export const DEVNET_SALT: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000';

export interface DevChainContracts {
  entryPoint: Address;
  nexusImplementation: Address;
  nexusFactory: Address;
  nexusBootstrap: Address;
  smartSessions: Address;
  registry: Address;
  sessionValidator: Address;
  ownerValidator: Address;
  allowAllPolicy: Address;
  counter: Address;
}

/** Our contracts by the DevChainContracts field they fill, and their Solidity names. */
const OWN: [keyof DevChainContracts, string][] = [
  ['sessionValidator', 'DanSessionValidator'],
  ['ownerValidator', 'OwnerValidator'],
  ['allowAllPolicy', 'AllowAllPolicy'],
  ['counter', 'Counter'],
];

export interface DeployOptions {
  rpcUrl: string;
  /** An unlocked, funded account (anvil dev account) that sends the deployment transactions. */
  deployer: Address;
  thirdParty: ThirdPartyBytecode;
  compiled: CompiledContracts;
  progress?(line: string): void;
}

interface Create2Job {
  name: string;
  field: keyof DevChainContracts;
  initCode: Hex;
  salt: Hex;
  address: Address;
}

function create2(name: string, field: keyof DevChainContracts, initCode: Hex, salt: Hex = DEVNET_SALT): Create2Job {
  const address = getContractAddress({ opcode: 'CREATE2', from: CREATE2_DEPLOYER, salt, bytecode: initCode });
  return { name, field, initCode, salt, address };
}

/** Deploy (or find already deployed) every devnet contract; returns their addresses. */
export async function deployContracts(o: DeployOptions): Promise<DevChainContracts> {
  const tp = o.thirdParty;
  const entryPoint = create2('EntryPoint v0.7', 'entryPoint', tp.entryPoint, ENTRYPOINT_V07_SALT);
  if (entryPoint.address !== ENTRYPOINT_V07_ADDRESS) {
    throw new DevChainError('DEPLOY_FAILED', `the EntryPoint artifact would land at ${entryPoint.address}, not ${ENTRYPOINT_V07_ADDRESS}: wrong @account-abstraction/contracts version?`);
  }
  const nexus = create2('Nexus 1.0.0 implementation', 'nexusImplementation', concat([tp.nexus, encodeAbiParameters([{ type: 'address' }], [entryPoint.address])]));
  const factory = create2(
    'NexusAccountFactory',
    'nexusFactory',
    concat([tp.nexusFactory, encodeAbiParameters([{ type: 'address' }, { type: 'address' }], [nexus.address, o.deployer])]),
  );
  const bootstrap = create2('NexusBootstrap', 'nexusBootstrap', tp.nexusBootstrap);
  const jobs = [entryPoint, nexus, factory, bootstrap];
  for (const [field, name] of OWN) {
    const c = o.compiled[name];
    if (!c) throw new DevChainError('DEPLOY_FAILED', `contract ${name} is missing from the compiled contracts/`);
    jobs.push(create2(name, field, c.bytecode));
  }

  // 1. Send every missing deployment (the chain mines each at once), then check the receipts.
  const codes = await Promise.all(jobs.map((j) => rpc<Hex>(o.rpcUrl, 'eth_getCode', [j.address, 'latest'])));
  const sent: { job: Create2Job; hash: Hex }[] = [];
  for (const [i, job] of jobs.entries()) {
    if (codes[i] !== '0x') continue;
    const hash = await rpc<Hex>(o.rpcUrl, 'eth_sendTransaction', [{ from: o.deployer, to: CREATE2_DEPLOYER, data: concat([job.salt, job.initCode]), gas: '0xe4e1c0' }]);
    sent.push({ job, hash });
  }
  await Promise.all(
    sent.map(async ({ job, hash }) => {
      const receipt = await waitForReceipt(o.rpcUrl, hash);
      if (receipt.status !== '0x1') throw new DevChainError('DEPLOY_FAILED', `deploying ${job.name} reverted (tx ${hash})`);
    }),
  );

  // 2. Code placed directly.
  await rpc(o.rpcUrl, 'anvil_setCode', [SMART_SESSIONS_ADDRESS, tp.smartSessionsRuntime]);
  await rpc(o.rpcUrl, 'anvil_setCode', [ERC7484_REGISTRY_ADDRESS, '0x00']);

  const at = (field: keyof DevChainContracts) => getAddress(jobs.find((j) => j.field === field)!.address);
  const contracts: DevChainContracts = {
    entryPoint: at('entryPoint'),
    nexusImplementation: at('nexusImplementation'),
    nexusFactory: at('nexusFactory'),
    nexusBootstrap: at('nexusBootstrap'),
    smartSessions: SMART_SESSIONS_ADDRESS,
    registry: ERC7484_REGISTRY_ADDRESS,
    sessionValidator: at('sessionValidator'),
    ownerValidator: at('ownerValidator'),
    allowAllPolicy: at('allowAllPolicy'),
    counter: at('counter'),
  };

  // 3. Every address must hold code now.
  const after = await Promise.all(Object.entries(contracts).map(async ([field, address]) => [field, await rpc<Hex>(o.rpcUrl, 'eth_getCode', [address, 'latest'])] as const));
  const empty = after.filter(([, code]) => code === '0x').map(([field]) => field);
  if (empty.length > 0) throw new DevChainError('DEPLOY_FAILED', `no code after deployment at: ${empty.join(', ')}`);
  const runtime = after.find(([f]) => f === 'smartSessions')![1];
  if (keccak256(runtime) !== keccak256(tp.smartSessionsRuntime)) throw new DevChainError('DEPLOY_FAILED', 'Smart Sessions code differs from the extracted runtime code');

  o.progress?.(`EntryPoint v0.7 at ${contracts.entryPoint}`);
  o.progress?.(`Nexus 1.0.0 implementation ${contracts.nexusImplementation}, factory ${contracts.nexusFactory}, bootstrap ${contracts.nexusBootstrap}`);
  o.progress?.(`Smart Sessions (pre-v1) at ${contracts.smartSessions}, ERC-7484 registry stub at ${contracts.registry}`);
  o.progress?.(`DanSessionValidator ${contracts.sessionValidator}, OwnerValidator ${contracts.ownerValidator}, AllowAllPolicy ${contracts.allowAllPolicy}, Counter ${contracts.counter}`);
  return contracts;
}

async function waitForReceipt(rpcUrl: string, hash: Hex, timeoutMs = 30_000): Promise<{ status: Hex }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const receipt = await rpc<{ status: Hex } | null>(rpcUrl, 'eth_getTransactionReceipt', [hash]);
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new DevChainError('DEPLOY_FAILED', `no receipt for ${hash} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
