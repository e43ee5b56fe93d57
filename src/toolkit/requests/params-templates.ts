/*
 * ElectroDB builds every request from scratch: about 25 µs for a get and over 100 µs for a
 * collection query on this kind of machine, more than the SDK's own per-request work we set out
 * to stay within. For one pattern and one variant (an enum value, a consistency flag) only the
 * key values change from call to call, so the service asks ElectroDB once, with marker values in
 * the key slots, and afterwards copies that request and puts each call's values in the slots.
 */

import { isDeepStrictEqual } from 'node:util';

type Slots = Record<string, string | number>;

type Casing = 'none' | 'lower' | 'upper';

/**
 * Where a slot's value goes in a string of the request, and what ElectroDB does to it there: key
 * casing applies to the whole key (lower by default, upper, none) and attribute `padding` pads the
 * value on the left before that. `pad` is the padding ElectroDB put before a one-character value
 * (as cased), so a value of n characters gets its first (pad.length + 1 - n) characters.
 */
interface Hole {
  slot: string;
  casing: Casing;
  pad: string;
}

/** A string of the request made of literal text (as ElectroDB built it) and holes. */
class Joined {
  constructor(readonly pieces: readonly (string | Hole)[]) {}
  /** A hole that is the whole string and takes the value untouched (a number stays a number). */
  get alone(): Hole | null {
    const [only] = this.pieces;
    return this.pieces.length === 1 && typeof only === 'object' && only.casing === 'none' && only.pad === '' ? only : null;
  }
}

type Filler = (slots: Slots) => unknown;

interface Template {
  /** The request with every string that holds a slot value parsed into a Joined. */
  tree: unknown;
  filler: Filler;
}

// Markers of the first probe: one control character per slot (\u0001, \u0002, ...), as short as a
// value can be, so the padding ElectroDB adds before it is the longest any value can get.
const MAX_SLOTS = 31;
// Markers of the second probe: `\u0000Aa<index>___\u0000`, all WIDE characters long; the letters show
// the key casing, the width shows padding (a field padded to WIDE or more is built every call).
const WIDE = 64;
// eslint-disable-next-line no-control-regex -- the markers are control characters on purpose
const SECOND = /\u0000(Aa|aa|AA)(\d+)_*\u0000/g;
// Values built directly every call: control characters could be taken for markers; Σ lowers to
// σ or ς depending on the letters around it (the whole key is lower-cased at once, not piece by
// piece); an empty value would need more padding than the probe showed.
// eslint-disable-next-line no-control-regex -- see above
const UNSAFE_VALUE = /[\u0000-\u001f\u03a3]/;

function firstMarker(i: number): string {
  return String.fromCharCode(1 + i);
}

function secondMarker(i: number): string {
  const head = `\u0000Aa${i}`;
  return `${head}${'_'.repeat(Math.max(0, WIDE - head.length - 1))}\u0000`;
}

// An own property even for the key "__proto__" (an assignment would set the prototype instead).
function setOwn(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

class NotATemplate extends Error {}

function fail(): never {
  throw new NotATemplate();
}

/**
 * One string of the request from both probes: literal text where they agree, a hole where a
 * marker stood, with the casing the second probe's letters show and the padding by which the
 * first probe's text is longer.
 */
function parseString(first: string, second: string, slotNames: readonly string[]): string | Joined {
  const holesFirst: number[] = [];
  const litsFirst: string[] = [];
  let lit = '';
  for (const ch of first) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 1 && code <= 31) {
      if (code > slotNames.length) fail();
      holesFirst.push(code - 1);
      litsFirst.push(lit);
      lit = '';
    } else if (code === 0) fail();
    else lit += ch;
  }
  litsFirst.push(lit);
  const holesSecond: { index: number; casing: Casing }[] = [];
  const litsSecond: string[] = [];
  let last = 0;
  for (const match of second.matchAll(SECOND)) {
    litsSecond.push(second.slice(last, match.index));
    holesSecond.push({ index: Number(match[2]), casing: match[1] === 'aa' ? 'lower' : match[1] === 'AA' ? 'upper' : 'none' });
    last = (match.index as number) + match[0].length;
  }
  litsSecond.push(second.slice(last));
  if (holesFirst.length === 0 && holesSecond.length === 0) {
    if (first !== second) fail();
    return first;
  }
  if (holesFirst.length !== holesSecond.length) fail();
  // eslint-disable-next-line no-control-regex -- a control character left in literal text: not a template
  if (litsSecond.some((l) => /[\u0000-\u001f]/.test(l))) fail();
  const casings = new Set(holesSecond.map((h) => h.casing));
  // The whole key is cased at once: every hole of one string has the same casing.
  if (casings.size !== 1) fail();
  const casing = holesSecond[0]?.casing as Casing;
  // A σ/ς in lower-cased text (a literal, padding) was chosen by the letters around it, which the
  // value changes: such keys are built by ElectroDB every call.
  if (casing === 'lower' && litsFirst.some((l) => /[\u03c2\u03c3]/.test(l))) fail();
  const pieces: (string | Hole)[] = [];
  for (let k = 0; k < holesFirst.length; k += 1) {
    const index = holesFirst[k] as number;
    if (holesSecond[k]?.index !== index) fail();
    const before1 = litsFirst[k] as string;
    const before2 = litsSecond[k] as string;
    if (!before1.startsWith(before2)) fail();
    const pad = before1.slice(before2.length);
    if (pad.length >= WIDE - 1) fail();
    if (before2 !== '') pieces.push(before2);
    pieces.push({ slot: slotNames[index] as string, casing, pad });
  }
  if (litsFirst[holesFirst.length] !== litsSecond[holesFirst.length]) fail();
  const tail = litsSecond[holesFirst.length] as string;
  if (tail !== '') pieces.push(tail);
  return new Joined(pieces);
}

/** The request of both probes as one tree; throws NotATemplate where they differ otherwise. */
function parse(first: unknown, second: unknown, slotNames: readonly string[]): unknown {
  if (typeof first === 'string') {
    if (typeof second !== 'string') fail();
    return parseString(first, second, slotNames);
  }
  if (Array.isArray(first)) {
    if (!Array.isArray(second) || second.length !== first.length) fail();
    return first.map((v, i) => parse(v, second[i], slotNames));
  }
  if (first !== null && typeof first === 'object') {
    if (second === null || typeof second !== 'object' || Array.isArray(second)) fail();
    const proto = Object.getPrototypeOf(first);
    if (proto !== Object.prototype && proto !== null) fail();
    const keys = Object.keys(first);
    const other = second as Record<string, unknown>;
    if (!isDeepStrictEqual(keys, Object.keys(other))) fail();
    const out: Record<string, unknown> = {};
    for (const k of keys) setOwn(out, k, parse((first as Record<string, unknown>)[k], other[k], slotNames));
    return out;
  }
  if (!Object.is(first, second)) fail();
  return first;
}

function holesOf(tree: unknown, into: Set<string>): Set<string> {
  if (tree instanceof Joined) for (const p of tree.pieces) if (typeof p === 'object') into.add(p.slot);
  if (Array.isArray(tree)) for (const v of tree) holesOf(v, into);
  else if (tree !== null && typeof tree === 'object' && !(tree instanceof Joined)) for (const v of Object.values(tree)) holesOf(v, into);
  return into;
}

/** The text a hole gets for a value: padded as ElectroDB pads the raw value, then cased. */
function holeText(hole: Hole, value: string | number | undefined): string {
  const raw = String(value);
  const padded = hole.pad !== '' && raw.length <= hole.pad.length ? hole.pad.slice(0, hole.pad.length + 1 - raw.length) : '';
  const cased = hole.casing === 'lower' ? raw.toLowerCase() : hole.casing === 'upper' ? raw.toUpperCase() : raw;
  return padded + cased;
}

/** The tree as closures (where code generation from strings is not allowed). */
function compile(tree: unknown): Filler {
  if (tree instanceof Joined) {
    const alone = tree.alone;
    if (alone) return (s) => s[alone.slot];
    const pieces = tree.pieces;
    return (s) => {
      let out = '';
      for (const p of pieces) out += typeof p === 'string' ? p : holeText(p, s[p.slot]);
      return out;
    };
  }
  if (Array.isArray(tree)) {
    const items = tree.map((v) => compile(v));
    return (s) => items.map((f) => f(s));
  }
  if (tree !== null && typeof tree === 'object') {
    const keys = Object.keys(tree);
    const values = keys.map((k) => compile((tree as Record<string, unknown>)[k]));
    return (s) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i += 1) setOwn(out, keys[i] as string, (values[i] as Filler)(s));
      return out;
    };
  }
  return () => tree;
}

/**
 * The tree as the source of ONE function (an expression over the slots `s` and the holes `h`), or
 * null where it cannot be written as one. A single function of object literals and string
 * concatenations filled a Query page's request in a few µs where the tree of small closures that
 * compile() builds took ~15 µs in a real process (cold between SDK calls). Every literal goes in
 * through JSON.stringify, so no part of a template (names, table, key text) can become code.
 */
function source(tree: unknown, holes: Hole[]): string | null {
  if (tree instanceof Joined) {
    const alone = tree.alone;
    if (alone) return `s[${JSON.stringify(alone.slot)}]`;
    const parts = tree.pieces.map((p) => {
      if (typeof p === 'string') return JSON.stringify(p);
      if (p.casing === 'none' && p.pad === '') return `String(s[${JSON.stringify(p.slot)}])`;
      holes.push(p);
      return `t(h[${holes.length - 1}], s[${JSON.stringify(p.slot)}])`;
    });
    return `(${parts.join(' + ')})`;
  }
  if (typeof tree === 'string') return JSON.stringify(tree);
  if (Array.isArray(tree)) {
    const items = tree.map((v) => source(v, holes));
    return items.includes(null) ? null : `[${items.join(', ')}]`;
  }
  if (tree !== null && typeof tree === 'object') {
    const entries: string[] = [];
    for (const [k, v] of Object.entries(tree)) {
      // "__proto__" as a literal key would set the prototype, not a property.
      if (k === '__proto__') return null;
      const code = source(v, holes);
      if (code === null) return null;
      entries.push(`${JSON.stringify(k)}: ${code}`);
    }
    return `{ ${entries.join(', ')} }`;
  }
  if (typeof tree === 'number') return Number.isFinite(tree) && !Object.is(tree, -0) ? String(tree) : null;
  if (typeof tree === 'boolean' || tree === null) return String(tree);
  if (tree === undefined) return 'undefined';
  return null;
}

/** The fastest filler for the tree: one generated function, else compile()'s closures. */
function fillerOf(tree: unknown): Filler {
  const holes: Hole[] = [];
  const code = source(tree, holes);
  if (code === null) return compile(tree);
  try {
    const fn = new Function('s', 'h', 't', `return ${code};`) as (s: Slots, h: Hole[], t: typeof holeText) => unknown;
    return (s) => fn(s, holes, holeText);
  } catch {
    // Code generation disallowed (node --disallow-code-generation-from-strings, a CSP): closures.
    return compile(tree);
  }
}

/**
 * Request templates per pattern variant; see the comment above.
 *
 * The template is learnt from ElectroDB itself: it builds the request twice with marker values,
 * and the differences show what it does to each value in each place (key casing, attribute
 * padding, a value kept as it is). The first call's real request is then compared with the
 * filled one; a variant whose requests do not come out the same, or that cannot be learnt this
 * way, is built by ElectroDB on every call.
 */
export class ParamsTemplates {
  private readonly templates = new Map<string, Template | null>();

  /**
   * The request `build` makes for these slot values. `variant` names everything else the request
   * depends on (pattern, enum values, options): one template per variant.
   */
  get<S extends Slots, P>(variant: string, slots: S, build: (slots: S) => P): P {
    const template = this.templates.get(variant);
    // null: ElectroDB's request cannot be filled in for this variant; build every call directly.
    if (template === null) return build(slots);
    for (const key of Object.keys(slots)) {
      const value = slots[key];
      if (typeof value === 'string' && (value === '' || UNSAFE_VALUE.test(value))) return build(slots);
    }
    if (template === undefined) {
      const direct = build(slots);
      this.templates.set(variant, this.create(slots, build, direct));
      return direct;
    }
    return template.filler(slots) as P;
  }

  /** Whether this variant is filled from a template (false: built directly every call). */
  isTemplated(variant: string): boolean {
    return Boolean(this.templates.get(variant));
  }

  private create<S extends Slots, P>(slots: S, build: (slots: S) => P, direct: P): Template | null {
    const names = Object.keys(slots);
    if (names.length > MAX_SLOTS) return null;
    const probe = (marker: (i: number) => string) => Object.fromEntries(names.map((n, i) => [n, marker(i)])) as unknown as S;
    let tree: unknown;
    try {
      tree = parse(build(probe(firstMarker)), build(probe(secondMarker)), names);
    } catch {
      // ElectroDB refused a marker, or did something to a value the probes cannot describe.
      return null;
    }
    // Every slot must reach the request, or the template would ignore a value.
    if (holesOf(tree, new Set()).size !== names.length) return null;
    const filler = fillerOf(tree);
    // The real request of this first call is the check that the template describes it.
    return isDeepStrictEqual(filler(slots), direct) ? { tree, filler } : null;
  }
}
