// Errors of the local chain stack (anvil, contracts, bundler). `code` says which step failed;
// `log` names the file with the failing process's output when there is one.
export type DevChainErrorCode =
  | 'NOT_INSTALLED' // a dependency (anvil binary, alto, solc, an npm package file) is missing
  | 'COMPILE_FAILED' // solc reported errors in contracts/*.sol
  | 'BYTECODE_NOT_FOUND' // a bytecode constant or artifact could not be read from its package
  | 'START_FAILED' // a process exited during start, or did not answer in time
  | 'DEPLOY_FAILED' // a deployment transaction reverted or code is missing where it should be
  | 'RPC_ERROR'; // a JSON-RPC call failed

export class DevChainError extends Error {
  override readonly name = 'DevChainError';
  constructor(
    readonly code: DevChainErrorCode,
    message: string,
    readonly context: { log?: string; cause?: unknown } = {},
  ) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
  }
}
