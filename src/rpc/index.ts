// The coordinator's JSON-RPC contract (methods, types, validators, error codes, envelope).
// Pure: no I/O, no crypto beyond address checksums. Imported by the server, the client and src/auth/.
export * from './errors.ts';
export * from './schema.ts';
export * from './jsonrpc.ts';
export { parseStrictJson } from './json.ts';
export { type Check, type Infer, type Shape } from './fields.ts';
