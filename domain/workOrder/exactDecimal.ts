/**
 * Exact decimal arithmetic on scaled integers (bigint), for credit amounts and exchange rates: no binary
 * floating point ever decides a rounding (MN-4: 50 × 1.1 is exactly 55).
 */
export interface ExactDecimal {
  /** value = coefficient / 10^scale */
  readonly coefficient: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/** Parses a number (by its shortest round-trip decimal text) or a decimal string exactly. */
export function parseDecimal(value: number | string): ExactDecimal {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = DECIMAL.exec(text);
  // String(NaN) and String(±Infinity) do not match DECIMAL either
  if (!match) throw new RangeError(`not a decimal number: ${text}`);
  // Stryker disable next-line StringLiteral: sign and whole always match (defaults for the type); Number('') is 0 too
  const [, sign = '', whole = '0', fraction = '', exponentText = '0'] = match;
  let coefficient = BigInt(whole + fraction);
  let scale = fraction.length - Number(exponentText);
  // Stryker disable next-line EqualityOperator: at scale 0 the branch multiplies by 1 and sets 0
  if (scale < 0) {
    coefficient *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { coefficient: sign === '-' ? -coefficient : coefficient, scale };
}

export function multiplyDecimals(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return { coefficient: a.coefficient * b.coefficient, scale: a.scale + b.scale };
}

function split(value: ExactDecimal): { quotient: bigint; remainder: bigint; unit: bigint } {
  if (value.coefficient < 0n) throw new RangeError('negative amounts are not rounded here');
  const unit = 10n ** BigInt(value.scale);
  return { quotient: value.coefficient / unit, remainder: value.coefficient % unit, unit };
}

/** Rounds a non-negative decimal to the nearest integer, a half rounding up (12.5 → 13). */
export function roundHalfUp(value: ExactDecimal): number {
  const { quotient, remainder, unit } = split(value);
  return Number(2n * remainder >= unit ? quotient + 1n : quotient);
}

/** Rounds a non-negative decimal up to the next integer (55.0 → 55, 10.2 → 11). */
export function roundUp(value: ExactDecimal): number {
  const { quotient, remainder } = split(value);
  return Number(remainder > 0n ? quotient + 1n : quotient);
}
