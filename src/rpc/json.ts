// Strict JSON for request bodies: JSON.parse, and a refusal of duplicate object keys at any depth.
// JSON.parse silently keeps the last of two equal keys, so a signature check and a handler (or a
// proxy in front) could read different values of one request; here a repeated key is a parse error.
// Keys are compared after unescaping: "a" and "\u0061" are the same key. JSON.parse stays the
// parser of values; the scan below only walks the (already valid) text, iteratively (no recursion).
import { RpcError, RpcErrorCode } from './errors.ts';

/** Parse `text` as JSON; throws RpcError PARSE_ERROR (reason 'parse_error' or 'duplicate_key'). */
export function parseStrictJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RpcError(RpcErrorCode.PARSE_ERROR, 'request body is not valid JSON', { reason: 'parse_error' });
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    const where = duplicate.path ? ` at ${duplicate.path.slice(0, 120)}` : '';
    throw new RpcError(RpcErrorCode.PARSE_ERROR, `duplicate key ${JSON.stringify(duplicate.key).slice(0, 80)}${where}`, {
      reason: 'duplicate_key',
      key: duplicate.key.slice(0, 128),
      path: duplicate.path.slice(0, 256),
    });
  }
  return value;
}

/** One open object or array while walking the text. */
interface Container {
  /** Where it is from the root ('' for the root, then `params.auth`, `calls[1]`, ...). */
  path: string;
  /** The keys seen so far (objects only). */
  keys?: Set<string>;
  /** Objects: the last key read; arrays: the index of the current element. */
  lastKey: string;
  index: number;
  /** Objects: the next string is a key. */
  expectKey: boolean;
}

/**
 * The first key repeated within one object of `text` (valid JSON), with the path of the repeated
 * member, or undefined when every object's keys are distinct.
 */
function findDuplicateKey(text: string): { key: string; path: string } | undefined {
  const open: Container[] = [];
  const childPath = (): string => {
    const parent = open.at(-1);
    if (!parent) return '';
    if (parent.keys) return parent.path ? `${parent.path}.${parent.lastKey}` : parent.lastKey;
    return `${parent.path}[${parent.index}]`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push({ path: childPath(), keys: c === '{' ? new Set() : undefined, lastKey: '', index: 0, expectKey: c === '{' });
    } else if (c === '}' || c === ']') {
      open.pop();
    } else if (c === ',') {
      const top = open.at(-1);
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      const top = open.at(-1);
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        top.expectKey = false;
        top.lastKey = key;
        if (top.keys.has(key)) return { key, path: childPath() };
        top.keys.add(key);
      }
    }
    // Whitespace, ':', numbers, true, false and null need no attention.
  }
  return undefined;
}
