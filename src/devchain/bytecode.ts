// Third-party bytecode, read from installed npm packages at devnet start and never committed
// (the Nexus and Smart Sessions builds are GPL-3.0):
// - EntryPoint v0.7 creation code from @account-abstraction/contracts/artifacts/EntryPoint.json;
// - Nexus 1.0.0 (implementation, account factory, bootstrap) creation code and the pre-v1 Smart
//   Sessions runtime code, which @rhinestone/modulekit ships as Solidity `hex"..."` constants in
//   src/deployment/precompiles/{NexusPrecompiles,SmartSessionsPrecompiles}.sol.
import { readFileSync } from 'node:fs';
import type { Hex } from 'viem';
import { DevChainError } from './errors.ts';
import { packageFile } from './paths.ts';

export interface ThirdPartyBytecode {
  /** EntryPoint v0.7 creation code (no constructor arguments). */
  entryPoint: Hex;
  /** Nexus 1.0.0 creation code; append abi.encode(entryPoint). */
  nexus: Hex;
  /** NexusAccountFactory creation code; append abi.encode(implementation, owner). */
  nexusFactory: Hex;
  /** NexusBootstrap creation code (no constructor arguments). */
  nexusBootstrap: Hex;
  /** Smart Sessions (pre-v1) runtime code, placed with anvil_setCode. */
  smartSessionsRuntime: Hex;
}

/**
 * The value of `bytes [public] constant NAME = hex"..." hex"...";` in Solidity source: the
 * concatenated hex literals. Throws BYTECODE_NOT_FOUND if the constant is absent or empty.
 */
export function parseSolidityHexConstant(source: string, name: string, file = 'source'): Hex {
  const decl = new RegExp(`\\bbytes\\s+(?:(?:public|internal|private)\\s+)?constant\\s+${name}\\s*=\\s*((?:\\s*hex"[0-9a-fA-F]*")+)\\s*;`).exec(source);
  if (!decl) throw new DevChainError('BYTECODE_NOT_FOUND', `constant ${name} not found in ${file}`);
  const hex = [...decl[1].matchAll(/hex"([0-9a-fA-F]*)"/g)].map((m) => m[1]).join('');
  if (hex.length === 0 || hex.length % 2 !== 0) throw new DevChainError('BYTECODE_NOT_FOUND', `constant ${name} in ${file} is empty or odd-length`);
  return `0x${hex.toLowerCase()}`;
}

let cached: ThirdPartyBytecode | undefined;

/** Read (once per process) every third-party bytecode the devnet deploys. */
export function loadThirdPartyBytecode(): ThirdPartyBytecode {
  if (cached) return cached;
  const epPath = packageFile('@account-abstraction/contracts', 'artifacts/EntryPoint.json');
  const ep = JSON.parse(readFileSync(epPath, 'utf8')) as { bytecode?: string };
  if (!ep.bytecode || !/^0x[0-9a-fA-F]+$/.test(ep.bytecode)) throw new DevChainError('BYTECODE_NOT_FOUND', `no bytecode in ${epPath}`);
  const nexusPath = packageFile('@rhinestone/modulekit', 'src/deployment/precompiles/NexusPrecompiles.sol');
  const sessionsPath = packageFile('@rhinestone/modulekit', 'src/deployment/precompiles/SmartSessionsPrecompiles.sol');
  const nexusSrc = readFileSync(nexusPath, 'utf8');
  const sessionsSrc = readFileSync(sessionsPath, 'utf8');
  cached = {
    entryPoint: ep.bytecode.toLowerCase() as Hex,
    nexus: parseSolidityHexConstant(nexusSrc, 'NEXUS_BYTECODE', nexusPath),
    nexusFactory: parseSolidityHexConstant(nexusSrc, 'NEXUS_ACCOUNT_FACTORY_BYTECODE', nexusPath),
    nexusBootstrap: parseSolidityHexConstant(nexusSrc, 'NEXUS_BOOTSTRAP_BYTECODE', nexusPath),
    smartSessionsRuntime: parseSolidityHexConstant(sessionsSrc, 'SMART_SESSION_DEPLOYED_BYTECODE', sessionsPath),
  };
  return cached;
}
