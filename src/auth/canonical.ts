// Canonical JSON: the one byte-exact serialisation of a JSON value that signer and verifier both
// compute (used for KeyGen.policy and Query.params in the EIP-712 messages). Object keys sorted by
// UTF-16 code units, no whitespace, strings and numbers as JSON.stringify writes them — the same
// output as RFC 8785 (JCS) for the values we accept. Non-JSON values are refused instead of being
// silently dropped or changed: bigint, functions, symbols, NaN/Infinity, undefined (except as an
// object property, which is omitted exactly as JSON.stringify omits it), and objects that are not
// plain objects or arrays (Date, Map, class instances, typed arrays).

const MAX_DEPTH = 64;

export function canonicalJson(value: unknown): string {
  return encode(value, '$', 0);
}

function encode(v: unknown, path: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError(`canonicalJson: ${path} nests deeper than ${MAX_DEPTH} levels (or is cyclic)`);
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`canonicalJson: ${path} is ${v}, not a JSON number`);
      return JSON.stringify(v);
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) return `[${v.map((x, i) => encode(x, `${path}[${i}]`, depth + 1)).join(',')}]`;
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new TypeError(`canonicalJson: ${path} is a ${proto?.constructor?.name ?? 'non-plain object'}, not a JSON object`);
      }
      const rec = v as Record<string, unknown>;
      const keys = Object.keys(rec)
        .filter((k) => rec[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${encode(rec[k], `${path}.${k}`, depth + 1)}`).join(',')}}`;
    }
    default:
      // undefined (top level or in an array), bigint, function, symbol.
      throw new TypeError(`canonicalJson: ${path} is ${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}, not a JSON value`);
  }
}
