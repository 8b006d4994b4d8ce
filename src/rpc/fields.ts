// Small, composable parameter checks for the dan_* JSON-RPC validators (see schema.ts).
// A check takes an untrusted value and its path ('digest', 'auth.signature', 'parties[1]') and
// either returns the value typed (never modified: the auth layer hashes what the client sent) or
// throws RpcError INVALID_PARAMS naming that path. Assumes values come from JSON.parse or from
// in-process callers; it never trusts prototypes (only plain objects and arrays are accepted).
import { isAddress, type Address, type Hex } from 'viem';
import { invalidParams } from './errors.ts';

export type Check<T> = (value: unknown, path: string) => T;
/** A check marked optional: an absent (undefined) value is allowed and the key becomes `?:`. */
export type OptionalCheck<T> = Check<T | undefined> & { readonly optional: true };
export type Shape = Record<string, Check<unknown>>;

type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { readonly optional: true } ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type Infer<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: S[K] extends Check<infer T> ? T : never } & {
    [K in OptionalKeys<S>]?: S[K] extends Check<infer T> ? Exclude<T, undefined> : never;
  }
>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };
export type JsonObject = { [k: string]: JsonValue };

/** Throw INVALID_PARAMS for `path` with the sentence `params.<path> <what>`. */
export function fail(path: string, what: string, reason?: string): never {
  throw invalidParams(path, `${path === 'params' ? 'params' : `params.${path}`} ${what}`, reason);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const HEX = /^0x[0-9a-fA-F]*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** 0x-prefixed hex of exactly `bytes` bytes (either case). */
export function hexBytes(bytes: number): Check<Hex> {
  return (v, path) => {
    if (typeof v !== 'string' || v.length !== 2 + 2 * bytes || !HEX.test(v)) fail(path, `must be a ${bytes}-byte 0x-hex string`);
    return v as Hex;
  };
}

/** A 20-byte 0x address; all-lower/all-upper case, or mixed case with a valid EIP-55 checksum. */
export const address: Check<Address> = (v, path) => {
  if (typeof v !== 'string' || !ADDRESS.test(v)) fail(path, 'must be a 0x-prefixed 20-byte hex address');
  if (!isAddress(v, { strict: true })) fail(path, 'has an invalid EIP-55 checksum (use all lower case or the checksummed form)');
  return v as Address;
};

/** An integer (JSON number without fraction) in [min, max]. */
export const boolean: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') fail(path, 'must be true or false');
  return v;
};

export function int(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) fail(path, `must be an integer in [${min}, ${max}]`);
    return v;
  };
}

/** A string matching `pattern` (anchored); `describe` completes 'must be ...'. */
export function string(pattern: RegExp, describe: string): Check<string> {
  return (v, path) => {
    if (typeof v !== 'string' || !pattern.test(v)) fail(path, `must be ${describe}`);
    return v;
  };
}

export function optional<T>(check: Check<T>): OptionalCheck<T> {
  const c = ((v: unknown, path: string) => (v === undefined ? undefined : check(v, path))) as OptionalCheck<T>;
  return Object.assign(c, { optional: true as const });
}

export function arrayOf<T>(item: Check<T>, opts: { min?: number; max: number; distinct?: boolean; describe: string }): Check<T[]> {
  const { min = 0, max, distinct = false, describe } = opts;
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, `must be an array of ${describe}`);
    if (v.length < min || v.length > max) fail(path, `must have ${min === max ? min : `${min} to ${max}`} entries`);
    const seen = new Set<unknown>();
    v.forEach((x, i) => {
      item(x, `${path}[${i}]`);
      if (distinct) {
        const k = typeof x === 'string' ? x.toLowerCase() : x;
        if (seen.has(k)) fail(`${path}[${i}]`, 'is a duplicate');
        seen.add(k);
      }
    });
    return v as T[];
  };
}

/**
 * A plain JSON object: only JSON values (finite numbers, no undefined inside arrays), at most
 * `maxDepth` levels of nested objects/arrays (the object itself is level 1), serialised size at most `maxBytes` (UTF-16 code units of JSON.stringify).
 */
export function jsonObject(opts: { maxDepth: number; maxBytes: number }): Check<JsonObject> {
  const walk = (v: unknown, path: string, depth: number): void => {
    if (depth > opts.maxDepth && typeof v === 'object' && v !== null) fail(path, `nests objects/arrays deeper than ${opts.maxDepth} levels`);
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail(path, 'must be a finite number');
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1));
      return;
    }
    if (isPlainObject(v)) {
      for (const [k, x] of Object.entries(v)) if (x !== undefined) walk(x, `${path}.${k}`, depth + 1);
      return;
    }
    fail(path, 'must be a JSON value');
  };
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'must be a JSON object');
    walk(v, path, 1);
    if (JSON.stringify(v).length > opts.maxBytes) fail(path, `must serialise to at most ${opts.maxBytes} bytes of JSON`);
    return v as JsonObject;
  };
}

/**
 * A plain object with exactly the keys of `shape` (unknown keys are refused, so that what the
 * client signed is exactly what the server reads). Checks run in the shape's key order, so the
 * error names the first bad field. Returns the input object itself, typed.
 */
export function object<S extends Shape>(shape: S): Check<Infer<S>> {
  const keys = Object.keys(shape);
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'must be an object');
    const prefix = path === 'params' ? '' : `${path}.`;
    for (const k of keys) {
      const x = v[k];
      if (x === undefined && !(shape[k] as { optional?: boolean }).optional) fail(`${prefix}${k}`, 'is required');
      shape[k](x, `${prefix}${k}`);
    }
    for (const k of Object.keys(v)) if (v[k] !== undefined && !Object.hasOwn(shape, k)) fail(`${prefix}${k}`, 'is not a known parameter', 'unknown_field');
    return v as Infer<S>;
  };
}
