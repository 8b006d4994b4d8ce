// The chain module: ERC-4337 v0.7 userOps and their hash / signed digest, Nexus nonce keys and execute
// calldata, Smart Sessions signatures and session structs, FastLZ (solady LibZip), and a bundler client.
// Pure functions except the bundler client (HTTP). Depends on viem only.

export * from './errors.ts';
export * from './userop.ts';
export * from './nexus.ts';
export * from './flz.ts';
export * from './smart-sessions.ts';
export * from './bundler.ts';
