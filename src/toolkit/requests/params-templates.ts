/*
 * ElectroDB builds every request from scratch: about 25 µs for a get and over 100 µs for a
 * collection query on this kind of machine, more than the SDK's own per-request work we set out
 * to stay within. For one pattern and one variant (an enum value, a consistency flag) only the
 * key values change from call to call, so the service asks ElectroDB once, with marker values in
 * the key slots, and afterwards copies that request and puts each call's values in the slots.
 */

type Slots = Record<string, string | number>;

interface Template {
  params: unknown;
  markers: { marker: string; slot: string }[];
  /** The template compiled into a copier with the slots filled (see compile). */
  filler: Filler;
}

type Filler = (slots: Slots) => unknown;

// A character our validated key values can never contain (control characters are refused).
const MARK = '\u0000';

// An own property even for the key "__proto__" (an assignment would set the prototype instead).
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function fill(value: unknown, markers: Template['markers'], slots: Slots): unknown {
  if (typeof value === 'string') {
    if (!value.includes(MARK)) return value;
    let out = value;
    for (const { marker, slot } of markers) {
      // A value that is just the marker takes the slot's own type (a number stays a number).
      if (out === marker) return slots[slot];
      if (out.includes(marker)) out = out.split(marker).join(String(slots[slot]));
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, markers, slots));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setOwn(out, k, fill(v, markers, slots));
    return out;
  }
  return value;
}

// The markers are `${MARK}<index>${MARK}`; MARK is a control character on purpose (see MARK).
const MARKER = new RegExp(`${MARK}(\\d+)${MARK}`, 'g');

/**
 * The template as a function: static strings are returned as they are, a string made of literal
 * text and markers is joined from its pieces, objects and arrays are rebuilt key by key in the
 * same order. It gives exactly what fill() gives, without walking the template and searching
 * every string on each call (test/services/params-templates.test.ts checks the result against
 * ElectroDB's own request).
 */
function compile(value: unknown, markers: Template['markers']): Filler {
  if (typeof value === 'string') {
    if (!value.includes(MARK)) return () => value;
    const literals: string[] = [];
    const slots: string[] = [];
    let last = 0;
    for (const match of value.matchAll(MARKER)) {
      const entry = markers[Number(match[1])];
      if (!entry) return (s) => fill(value, markers, s);
      literals.push(value.slice(last, match.index));
      slots.push(entry.slot);
      last = (match.index as number) + match[0].length;
    }
    literals.push(value.slice(last));
    // A marker alone takes the slot's own type; text without literal parts (or with a stray
    // marker character) keeps fill()'s step-by-step replacement, whose result can differ there.
    if (slots.length === 1 && literals[0] === '' && literals[1] === '') {
      const slot = slots[0] as string;
      return (s) => s[slot];
    }
    if (literals.every((l) => l === '') || literals.some((l) => l.includes(MARK))) return (s) => fill(value, markers, s);
    return (s) => {
      let out = literals[0] as string;
      for (let i = 0; i < slots.length; i += 1) out += String(s[slots[i] as string]) + (literals[i + 1] as string);
      return out;
    };
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => compile(v, markers));
    return (s) => items.map((f) => f(s));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    const values = keys.map((k) => compile((value as Record<string, unknown>)[k], markers));
    return (s) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i += 1) setOwn(out, keys[i] as string, (values[i] as Filler)(s));
      return out;
    };
  }
  return () => value;
}

/**
 * The template as the source of ONE function (an expression over the slots `s`), or null where
 * compile()'s step-by-step cases apply. A single function of object literals and string
 * concatenations filled a Query page's request in a few µs where the tree of small closures that
 * compile() builds took ~15 µs in a real process (cold between SDK calls). Every literal goes in
 * through JSON.stringify, so no part of a template (names, table, key text) can become code.
 */
function source(value: unknown, markers: Template['markers']): string | null {
  if (typeof value === 'string') {
    if (!value.includes(MARK)) return JSON.stringify(value);
    const parts: string[] = [];
    const slots: string[] = [];
    let last = 0;
    for (const match of value.matchAll(MARKER)) {
      const entry = markers[Number(match[1])];
      if (!entry) return null;
      parts.push(value.slice(last, match.index));
      slots.push(entry.slot);
      last = (match.index as number) + match[0].length;
    }
    parts.push(value.slice(last));
    if (slots.length === 1 && parts[0] === '' && parts[1] === '') return `s[${JSON.stringify(slots[0])}]`;
    if (parts.every((l) => l === '') || parts.some((l) => l.includes(MARK))) return null;
    let out = JSON.stringify(parts[0]);
    for (let i = 0; i < slots.length; i += 1) out += ` + String(s[${JSON.stringify(slots[i])}]) + ${JSON.stringify(parts[i + 1])}`;
    return `(${out})`;
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => source(v, markers));
    return items.includes(null) ? null : `[${items.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) return null;
    const entries: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      // "__proto__" as a literal key would set the prototype, not a property.
      if (k === '__proto__') return null;
      const code = source(v, markers);
      if (code === null) return null;
      entries.push(`${JSON.stringify(k)}: ${code}`);
    }
    return `{ ${entries.join(', ')} }`;
  }
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? String(value) : null;
  if (typeof value === 'boolean' || value === null) return String(value);
  if (value === undefined) return 'undefined';
  return null;
}

/** The fastest filler that gives exactly what fill() gives: one generated function, else compile()'s closures. */
function fillerOf(params: unknown, markers: Template['markers']): Filler {
  const code = source(params, markers);
  if (code === null) return compile(params, markers);
  try {
    return new Function('s', `return ${code};`) as Filler;
  } catch {
    // Code generation disallowed (node --disallow-code-generation-from-strings, a CSP): closures.
    return compile(params, markers);
  }
}

function contains(value: unknown, marker: string): boolean {
  if (typeof value === 'string') return value.includes(marker);
  if (Array.isArray(value)) return value.some((v) => contains(v, marker));
  if (value !== null && typeof value === 'object') return Object.values(value).some((v) => contains(v, marker));
  return false;
}

/** Request templates per pattern variant; see the comment above. */
export class ParamsTemplates {
  private readonly templates = new Map<string, Template | null>();

  /**
   * The request `build` makes for these slot values. `variant` names everything else the request
   * depends on (pattern, enum values, options): one template per variant.
   */
  get<S extends Slots, P>(variant: string, slots: S, build: (slots: S) => P): P {
    let template = this.templates.get(variant);
    if (template === undefined) {
      template = this.create(slots, build);
      this.templates.set(variant, template);
    }
    // null: ElectroDB did not carry a marker through verbatim; build every call directly.
    if (template === null) return build(slots);
    for (const key of Object.keys(slots)) {
      const value = slots[key];
      if (typeof value === 'string' && value.includes(MARK)) return build(slots);
    }
    return template.filler(slots) as P;
  }

  /** Whether this variant is filled from a template (false: built directly every call). */
  isTemplated(variant: string): boolean {
    return Boolean(this.templates.get(variant));
  }

  private create<S extends Slots, P>(slots: S, build: (slots: S) => P): Template | null {
    const markers = Object.keys(slots).map((slot, i) => ({ slot, marker: `${MARK}${i}${MARK}` }));
    // Numeric slots get a string marker too: the template is only kept if it comes back verbatim.
    const marked = Object.fromEntries(markers.map((m) => [m.slot, m.marker])) as unknown as S;
    let params: P;
    try {
      params = build(marked);
    } catch {
      return null;
    }
    return markers.every((m) => contains(params, m.marker)) ? { params, markers, filler: fillerOf(params, markers) } : null;
  }
}
