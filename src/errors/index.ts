// One error family for the whole project. Every typed error (engine, store, network, node,
// coordinator, legacy endpoint) is a DanError with a stable `code`; the registry below says, once
// per code, what a caller outside the process sees: the JSON-RPC error code and `data.reason`, the
// WebSocket close code of the legacy wallet-provider endpoint, and whether another attempt (another
// signer set, a later retry) may succeed. Errors cross the node wire as { code, message, data }
// (toWire / fromWire), so blame (suspect, ban, session) reaches the coordinator intact.
// Assumes: `context` holds only JSON-safe, non-secret values (ids, peers, codes, hashes): it is
// logged and sent to peers and clients as it is.

export interface ErrorSpec {
  /** JSON-RPC error code. */
  rpc: number;
  /** JSON-RPC `data.reason` (stable, machine-readable). */
  reason: string;
  /** WebSocket close code (RFC 6455 section 7.4) on the legacy endpoint. */
  ws: number;
  /** True when another attempt (another signer set, or later) may succeed. */
  retryable: boolean;
}

/** JSON-RPC error codes: the 2.0 standard ones, and application codes in -32000..-32099. */
export const RPC_CODES = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** Missing, malformed, bad or expired request signature, or a signer that is not allowed. */
  UNAUTHORIZED: -32001,
  UNKNOWN_KEY: -32002,
  /** Fewer than `threshold` usable nodes (down, banned, or needing a refresh). */
  QUORUM_UNAVAILABLE: -32003,
  TIMEOUT: -32004,
  /** A requestId was reused with different content. */
  REQUEST_CONFLICT: -32005,
  POLICY_VIOLATION: -32006,
  BUNDLER_ERROR: -32007,
  /** A node deviated from the protocol (data: check, suspect, ban) and no other signer set succeeded. */
  PROTOCOL_ABORTED: -32008,
  /** Over capacity now (a queue is full or its wait would exceed the deadline): retry after data.retryAfterMs. */
  BUSY: -32009,
} as const;
const RPC = RPC_CODES;

// WebSocket close codes.
const WS = { INVALID_DATA: 1007, UNSUPPORTED: 1003, POLICY: 1008, TRY_LATER: 1013, INTERNAL: 1011 } as const;

const spec = (rpc: number, ws: number, retryable: boolean, reason?: string) => ({ rpc, ws, retryable, reason });
/** A deviation from the engine's protocol: aborts the session; another signer set may work. */
const protocol = spec(RPC.PROTOCOL_ABORTED, WS.INTERNAL, true);
const internal = spec(RPC.INTERNAL_ERROR, WS.INTERNAL, true);

const SPECS = {
  // --- requests and the coordinator -------------------------------------------------------------
  PARSE_ERROR: spec(RPC.PARSE_ERROR, WS.INVALID_DATA, false),
  INVALID_REQUEST: spec(RPC.INVALID_REQUEST, WS.INVALID_DATA, false),
  METHOD_NOT_FOUND: spec(RPC.METHOD_NOT_FOUND, WS.UNSUPPORTED, false),
  INVALID_PARAMS: spec(RPC.INVALID_PARAMS, WS.UNSUPPORTED, false, 'invalid_field'),
  INTERNAL: internal,
  UNAUTHORIZED: spec(RPC.UNAUTHORIZED, WS.POLICY, false),
  KEY_EXPIRED: spec(RPC.UNAUTHORIZED, WS.POLICY, false),
  UNKNOWN_KEY: spec(RPC.UNKNOWN_KEY, WS.POLICY, false),
  QUORUM_UNAVAILABLE: spec(RPC.QUORUM_UNAVAILABLE, WS.TRY_LATER, true),
  TIMEOUT: spec(RPC.TIMEOUT, WS.POLICY, true),
  REQUEST_CONFLICT: spec(RPC.REQUEST_CONFLICT, WS.POLICY, false),
  POLICY_VIOLATION: spec(RPC.POLICY_VIOLATION, WS.POLICY, false),
  /** A userOp above a cap the user signed (fees, maxCost); context: field, value, cap. */
  CAP_EXCEEDED: spec(RPC.POLICY_VIOLATION, WS.POLICY, false, 'cap_exceeded'),
  /** An ephemeral key id already registered with another key or a later expiry (a replay). */
  EPHEMERAL_KEY_CONFLICT: spec(RPC.REQUEST_CONFLICT, WS.POLICY, false),
  BUNDLER_ERROR: spec(RPC.BUNDLER_ERROR, WS.INTERNAL, false),
  /** Admission control refused the work (context: retryAfterMs, what). Retry later, not elsewhere now. */
  BUSY: spec(RPC.BUSY, WS.TRY_LATER, true),
  // --- node calls ---------------------------------------------------------------------------------
  BAD_CALL: spec(RPC.INVALID_PARAMS, WS.UNSUPPORTED, false, 'invalid_field'),
  NOT_A_PARTY: internal,
  PRESIGNATURE_UNAVAILABLE: internal,
  /** A session ended: its engine aborted (context: check, suspect, ban, round, session). */
  PROTOCOL_ABORTED: protocol,
  /** A peer told us it aborted the session (its own check failed); no blame on the teller. */
  PEER_ABORTED: protocol,
  /** The call names, or comes from, a peer this node has banned or suspended. */
  PEER_BANNED: spec(RPC.QUORUM_UNAVAILABLE, WS.TRY_LATER, true),
  /** The key's correlations with a peer must be refreshed before presigning with it again. */
  REFRESH_REQUIRED: spec(RPC.QUORUM_UNAVAILABLE, WS.TRY_LATER, true),
  /** A refresh or its commit does not match what this node holds (another run, a stale generation). */
  REFRESH_MISMATCH: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, true),
  /** A reshare's parties disagree (the key's public data, the new generation, an acknowledgement); nothing was switched. */
  RESHARE_MISMATCH: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, true),
  /** The caller's view of a key (generation, parties, threshold) is not the node's: read the key again. */
  STALE_KEY: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, true),
  /** An earlier run of the key's DKG is not settled yet (a party unreachable, or still running it): retry later. */
  KEY_PENDING: spec(RPC.QUORUM_UNAVAILABLE, WS.TRY_LATER, true),
  /** A keyGen commit that does not match what this node holds (another run, a missing or bad acknowledgement). */
  KEYGEN_MISMATCH: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  // --- peer-to-peer network -----------------------------------------------------------------------
  PEER_UNAVAILABLE: spec(RPC.QUORUM_UNAVAILABLE, WS.TRY_LATER, true),
  NOT_ALLOWED: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  BAD_FRAME: internal,
  CLOSED: internal,
  // --- legacy wallet-provider endpoint -------------------------------------------------------------
  MALFORMED_FRAME: spec(RPC.INVALID_PARAMS, WS.INVALID_DATA, false),
  UNSUPPORTED: spec(RPC.INVALID_PARAMS, WS.UNSUPPORTED, false),
  EXPIRED: spec(RPC.UNAUTHORIZED, WS.POLICY, false),
  // --- request authentication ---------------------------------------------------------------------
  AUTH_EXPIRED: spec(RPC.UNAUTHORIZED, WS.POLICY, false, 'expired'),
  AUTH_BAD_SIGNATURE: spec(RPC.UNAUTHORIZED, WS.POLICY, false, 'bad_signature'),
  AUTH_MALFORMED: spec(RPC.UNAUTHORIZED, WS.POLICY, false, 'malformed_auth'),
  AUTH_NOT_ALLOWED: spec(RPC.UNAUTHORIZED, WS.POLICY, false, 'signer_not_allowed'),
  // --- store --------------------------------------------------------------------------------------
  STORE_WRONG_SECRET: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  STORE_LOCKED: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  STORE_CORRUPT: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  STORE_CONFLICT: spec(RPC.REQUEST_CONFLICT, WS.POLICY, false),
  STORE_NOT_FOUND: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  // --- backup files -------------------------------------------------------------------------------
  BACKUP_INVALID: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  BACKUP_WRONG_SECRET: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  // --- threshold-ECDSA engine (what a session abort names in `check`) -----------------------------
  INVALID_PARAMETERS: spec(RPC.INTERNAL_ERROR, WS.INTERNAL, false),
  MALFORMED_MESSAGE: protocol,
  UNEXPECTED_MESSAGE: protocol,
  DUPLICATE_MESSAGE: protocol,
  WRONG_SESSION: protocol,
  INVALID_POINT: protocol,
  INVALID_SCALAR: protocol,
  INVALID_COMMITMENT: protocol,
  INVALID_PROOF: protocol,
  BROADCAST_MISMATCH: protocol,
  BAD_BROADCAST_SIGNATURE: protocol,
  NOT_UNIQUE_X: protocol,
  FELDMAN_CHECK_FAILED: protocol,
  PUBLIC_KEY_MISMATCH: protocol,
  OT_CHECK_FAILED: protocol,
  PPRF_CHECK_FAILED: protocol,
  RVOLE_CHECK_FAILED: protocol,
  CONSISTENCY_CHECK_FAILED: protocol,
  PRESIGNATURE_CONSUMED: internal,
  PRESIGNATURE_STALE: internal,
  INVALID_PARTIAL: protocol,
  INVALID_SIGNATURE: protocol,
  SESSION_CLOSED: protocol,
} as const satisfies Record<string, { rpc: number; ws: number; retryable: boolean; reason?: string }>;

export type ErrorCode = keyof typeof SPECS;

/** The registry entry of a code; an unknown code (e.g. from a newer peer) is treated as INTERNAL. */
export function errorSpec(code: string): ErrorSpec {
  const s = (SPECS as Record<string, { rpc: number; ws: number; retryable: boolean; reason?: string }>)[code] ?? SPECS.INTERNAL;
  const known = code in SPECS;
  return { rpc: s.rpc, ws: s.ws, retryable: s.retryable, reason: s.reason ?? (known ? code.toLowerCase() : 'internal') };
}

/** The canonical code of a JSON-RPC error code (the first registry entry that uses it). */
export function codeOfRpc(rpc: number): ErrorCode {
  const found = (Object.keys(SPECS) as ErrorCode[]).find((c) => SPECS[c].rpc === rpc);
  return found ?? 'INTERNAL';
}

/** How an error travels between processes. */
export interface WireError {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export class DanError<C extends string = ErrorCode> extends Error {
  override name = 'DanError';
  constructor(
    readonly code: C,
    message: string,
    /** JSON-safe details that may leave the process (never secrets). */
    readonly context: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get spec(): ErrorSpec {
    return errorSpec(this.code);
  }

  get retryable(): boolean {
    return this.spec.retryable;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, data: jsonSafe(this.context) };
  }
}

/** Any thrown value as a wire error (non-DanErrors become INTERNAL without their message). */
export function toWire(e: unknown): WireError {
  if (e instanceof DanError) return (e as DanError<string>).toWire();
  return { code: 'INTERNAL', message: 'internal error' };
}

/** The JSON-safe part of a context: functions, bigints and byte arrays are converted or dropped. */
function jsonSafe(context: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(context, (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
      if (v instanceof Error) return undefined;
      return v;
    }) ?? '{}',
  ) as Record<string, unknown>;
}
