// Polynomials over Z_q, Feldman commitments and Lagrange coefficients (Shamir sharing, rank 0).
import { G, Point, mulPublic } from './point.ts';
import { Q, add, inv, mul, mod, randomScalar, sub } from './scalar.ts';

/** Random polynomial of degree t-1; the constant term is `constant` when given. */
export function randomPolynomial(t: number, constant?: bigint): bigint[] {
  const coeffs = Array.from({ length: t }, () => randomScalar());
  if (constant !== undefined) coeffs[0] = constant;
  return coeffs;
}

/** f(x) by Horner's rule. */
export function evaluate(coeffs: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let k = coeffs.length - 1; k >= 0; k--) acc = add(mul(acc, x), coeffs[k]);
  return acc;
}

/** sum_k C_k * x^k for public commitments C and a public point x (variable time). */
export function evaluateCommitment(commitments: readonly Point[], x: bigint): Point {
  let acc = Point.ZERO;
  let power = 1n;
  for (const c of commitments) {
    acc = acc.add(mulPublic(c, power));
    power = mul(power, x);
  }
  return acc;
}

/** Lagrange coefficient at 0 of the point xs[index] within the set xs. */
export function lagrangeAtZero(xs: readonly bigint[], index: number): bigint {
  let num = 1n;
  let den = 1n;
  const xi = xs[index];
  for (let j = 0; j < xs.length; j++) {
    if (j === index) continue;
    num = mul(num, xs[j]);
    den = mul(den, sub(xs[j], xi));
  }
  return mul(num, inv(den));
}

export { G, Q, mod };
