/**
 * JSON for programs, without float noise (`0.9999999999999999`): dollar amounts (any number under
 * a `monthly` or `totals` field, and `monthlySavings`) to the cent, every other fraction (units,
 * rates, shares, unit prices) to 6 significant digits; whole numbers as they are. A non-finite
 * number is an error, never a `null` in the output.
 */
export function roundForOutput(value: unknown, path: readonly string[] = []): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path.join('.') || '(root)'}: ${value} is not a finite number; nothing is written`);
    if (Number.isInteger(value)) return value;
    const money = path.some((p) => p === 'monthly' || p === 'totals') || path[path.length - 1] === 'monthlySavings';
    return money ? Math.round(value * 100) / 100 : Number(value.toPrecision(6));
  }
  if (Array.isArray(value)) return value.map((v, i) => roundForOutput(v, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    // Own enumerable fields only, as JSON.stringify sees them; a null prototype keeps a key named __proto__ a key.
    const out = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) if (v !== undefined && typeof v !== 'function') out[k] = roundForOutput(v, [...path, k]);
    return out;
  }
  return value;
}

// JSON.stringify escapes C0 controls; DEL, C1 controls and bidi controls it leaves raw. They occur only inside strings.
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON text safe to print to a terminal: every control character as a JSON `\uNNNN` escape (same JSON value). */
export function terminalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function jsonOutput(value: unknown): string {
  return terminalJson(roundForOutput(value));
}
