/**
 * Condition and filter expressions (also the syntax of key condition expressions).
 * Grammar, precedence and messages follow DynamoDB:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * with the error texts and their priority as recorded by dynalite (Apache-2.0, db/conditionParser.pegjs).
 *
 *   condition ::= or
 *   or        ::= and (OR or)?            and ::= not (AND and)?
 *   not       ::= NOT parens | parens
 *   parens    ::= '((' or '))' | '((' comparison '))' | comparison | '(' or ')'
 *   comparison::= operand comparator operand | operand BETWEEN operand AND operand
 *               | operand IN '(' operand (',' operand)* ')' | function
 *   operand   ::= '((' o '))' | '(' o ')' | o        o ::= function | :value | path
 */
import { validation } from '../errors';
import type { AttributeValue, Item } from '../types';
import { compareValues, valuesEqual } from '../values/compare';
import { ParserBase } from './lexer';
import { checkExpressionLength, countOperators } from './limits';
import { getPath, pathStr, type Path } from './paths';
import { isReserved } from './reserved';
import type { ExpressionScope } from './scope';

// ---------- raw syntax tree (names and values not yet resolved) ----------

export type RawElem = { kind: 'ident'; name: string } | { kind: 'name'; ref: string } | { kind: 'index'; index: number };
export interface RawPath {
  k: 'path';
  elems: RawElem[];
  redundant?: boolean;
}
export interface RawValue {
  k: 'value';
  ref: string;
  redundant?: boolean;
}
export interface RawCall {
  k: 'call';
  name: string;
  args: RawOperand[];
  redundant?: boolean;
}
export type RawOperand = RawPath | RawValue | RawCall;
export type RawCond = (
  | { k: 'or' | 'and'; a: RawCond; b: RawCond }
  | { k: 'not'; a: RawCond }
  | { k: 'cmp'; op: Comparator; a: RawOperand; b: RawOperand }
  | { k: 'between'; a: RawOperand; lo: RawOperand; hi: RawOperand }
  | { k: 'in'; a: RawOperand; list: RawOperand[] }
  | { k: 'fn'; call: RawCall }
) & { redundant?: boolean };

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);

class ConditionParser extends ParserBase {
  parse(): RawCond {
    return this.run(() => this.or());
  }

  private or(): RawCond {
    return this.memoize('or', () => {
      const a = this.and();
      if (this.isKeyword('OR')) {
        const save = this.pos;
        this.next();
        const b = this.optional(() => this.or());
        if (b) return { k: 'or', a, b };
        this.pos = save;
      }
      return a;
    });
  }

  private and(): RawCond {
    return this.memoize('and', () => {
      const a = this.not();
      if (this.isKeyword('AND')) {
        const save = this.pos;
        this.next();
        const b = this.optional(() => this.and());
        if (b) return { k: 'and', a, b };
        this.pos = save;
      }
      return a;
    });
  }

  private not(): RawCond {
    if (this.isKeyword('NOT')) {
      this.next();
      return { k: 'not', a: this.parens() };
    }
    return this.parens();
  }

  private parens(): RawCond {
    return this.memoize('parens', () =>
      this.choice<RawCond>(
        () => {
          this.expectPunct('(');
          this.expectPunct('(');
          const c = this.or();
          this.expectPunct(')');
          this.expectPunct(')');
          return { ...c, redundant: true };
        },
        () => {
          this.expectPunct('(');
          this.expectPunct('(');
          const c = this.comparison();
          this.expectPunct(')');
          this.expectPunct(')');
          return { ...c, redundant: true };
        },
        () => this.comparison(),
        () => {
          this.expectPunct('(');
          const c = this.or();
          this.expectPunct(')');
          return c;
        },
      ),
    );
  }

  private comparison(): RawCond {
    return this.memoize('comparison', () =>
      this.choice<RawCond>(
        () => {
          const a = this.operandParens();
          const t = this.peek();
          if (t.kind !== 'punct' || !COMPARATORS.has(t.text)) this.fail();
          this.next();
          const b = this.operandParens();
          return { k: 'cmp', op: t.text as Comparator, a, b };
        },
        () => {
          const a = this.operandParens();
          this.expectKeyword('BETWEEN');
          const lo = this.operandParens();
          this.expectKeyword('AND');
          const hi = this.operandParens();
          return { k: 'between', a, lo, hi };
        },
        () => {
          const a = this.operandParens();
          this.expectKeyword('IN');
          this.expectPunct('(');
          const list = this.argumentList();
          this.expectPunct(')');
          return { k: 'in', a, list };
        },
        () => ({ k: 'fn', call: this.func() }),
      ),
    );
  }

  private operandParens(): RawOperand {
    return this.memoize('operandParens', () =>
      this.choice<RawOperand>(
        () => {
          this.expectPunct('(');
          this.expectPunct('(');
          const o = this.operand();
          this.expectPunct(')');
          this.expectPunct(')');
          return { ...o, redundant: true };
        },
        () => {
          this.expectPunct('(');
          const o = this.operand();
          this.expectPunct(')');
          return o;
        },
        () => this.operand(),
      ),
    );
  }

  private operand(): RawOperand {
    return this.memoize('operand', () =>
      this.choice<RawOperand>(
        () => this.func(),
        () => {
          const t = this.peek();
          if (t.kind !== 'value') this.fail();
          this.next();
          return { k: 'value', ref: t.text };
        },
        () => this.path(),
      ),
    );
  }

  private func(): RawCall {
    return this.memoize('func', () => {
      const t = this.peek();
      if (t.kind !== 'ident' || KEYWORDS.has(t.text.toUpperCase())) this.fail();
      this.next();
      this.expectPunct('(');
      const args = this.argumentList();
      this.expectPunct(')');
      return { k: 'call', name: t.text, args };
    });
  }

  private argumentList(): RawOperand[] {
    const list = [this.operandParens()];
    while (this.isPunct(',')) {
      const save = this.pos;
      this.next();
      const o = this.optional(() => this.operandParens());
      if (!o) {
        this.pos = save;
        break;
      }
      list.push(o);
    }
    return list;
  }

  private path(): RawPath {
    return this.memoize('path', () => {
      const head = this.groupedPath();
      const elems = [...head.elems];
      for (;;) {
        const save = this.pos;
        const step = this.optional<RawElem>(() => {
          if (this.isPunct('[')) {
            this.next();
            const t = this.peek();
            if (t.kind !== 'int') this.fail();
            this.next();
            this.expectPunct(']');
            return { kind: 'index', index: Number(t.text) };
          }
          this.expectPunct('.');
          return this.pathIdentifier();
        });
        if (!step) {
          this.pos = save;
          break;
        }
        elems.push(step);
      }
      const out: RawPath = { k: 'path', elems };
      if (head.redundant) out.redundant = true;
      return out;
    });
  }

  private groupedPath(): RawPath {
    return this.choice<RawPath>(
      () => ({ k: 'path', elems: [this.pathIdentifier()] }),
      () => {
        this.expectPunct('(');
        this.expectPunct('(');
        const p = this.path();
        this.expectPunct(')');
        this.expectPunct(')');
        return { ...p, redundant: true };
      },
      () => {
        this.expectPunct('(');
        const p = this.path();
        this.expectPunct(')');
        return p;
      },
    );
  }

  private pathIdentifier(): RawElem {
    const t = this.peek();
    if (t.kind === 'name') {
      this.next();
      return { kind: 'name', ref: t.text };
    }
    if (t.kind !== 'ident' || KEYWORDS.has(t.text.toUpperCase())) this.fail();
    this.next();
    return { kind: 'ident', name: t.text };
  }
}

// Parsed syntax by (parameter, text): a program sends the same expression text with new values
// again and again, and the backtracking parser is the costly part. The raw tree holds no values
// (names and values are resolved against each request's scope afterwards) and is never mutated.
const RAW_CACHE_SIZE = 512;
const rawCache = new Map<string, RawCond>();

export function parseRawCondition(text: string, param: string): RawCond {
  const key = param + '\u0000' + text;
  const hit = rawCache.get(key);
  if (hit) return hit;
  const raw = new ConditionParser(text, param).parse();
  if (rawCache.size >= RAW_CACHE_SIZE) rawCache.delete(rawCache.keys().next().value as string);
  rawCache.set(key, raw);
  return raw;
}

// ---------- resolved tree ----------

export type Operand =
  | { k: 'path'; path: Path }
  | { k: 'value'; value: AttributeValue }
  | { k: 'size'; arg: Operand }
  | { k: 'call'; name: string; args: Operand[] };

export type Cond =
  | { k: 'and' | 'or'; a: Cond; b: Cond }
  | { k: 'not'; a: Cond }
  | { k: 'cmp'; op: Comparator; a: Operand; b: Operand }
  | { k: 'between'; a: Operand; lo: Operand; hi: Operand }
  | { k: 'in'; a: Operand; list: Operand[] }
  | { k: 'fn'; name: string; args: Operand[] };

const FUNCTION_ARITY: Record<string, number> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

interface Resolved {
  node: Operand;
  /** The static type: a value's type, or a function's result type; null for paths. */
  type: string | null;
}

function typeOf(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

function render(v: AttributeValue): string {
  const t = typeOf(v);
  return '{' + t + ':' + String((v as Record<string, unknown>)[t]) + '}';
}

/**
 * Semantic checks in DynamoDB's order of precedence between error kinds (first error of each kind wins,
 * then kinds are ranked), resolving #names and :values through the scope.
 */
class Checker {
  private readonly errors: Record<string, string> = {};

  constructor(private readonly scope: ExpressionScope) {}

  private set(kind: string, message: string): void {
    if (this.errors[kind] === undefined) this.errors[kind] = message;
  }

  private has(kind: string): boolean {
    return this.errors[kind] !== undefined;
  }

  resolvePath(raw: RawPath): Path {
    if (raw.redundant) this.set('parens', 'The expression has redundant parentheses;');
    const path: Path = [];
    for (const e of raw.elems) {
      if (e.kind === 'index') path.push(e.index);
      else if (e.kind === 'ident') {
        if (isReserved(e.name)) this.set('reserved', 'Attribute name is a reserved keyword; reserved keyword: ' + e.name);
        path.push(e.name);
      } else {
        let name: string | undefined;
        if (!this.has('attrNameVal')) {
          name = this.scope.resolveName(e.ref);
          if (name === undefined) {
            this.set('attrNameVal', 'An expression attribute name used in the document path is not defined; attribute name: ' + e.ref);
          }
        }
        path.push(name ?? e.ref);
      }
    }
    return path;
  }

  private operand(raw: RawOperand): Resolved {
    if (raw.redundant) this.set('parens', 'The expression has redundant parentheses;');
    if (raw.k === 'path') return { node: { k: 'path', path: this.resolvePath(raw) }, type: null };
    if (raw.k === 'value') {
      let value: AttributeValue | undefined;
      if (!this.has('attrNameVal')) {
        value = this.scope.resolveValue(raw.ref);
        if (value === undefined) {
          this.set('attrNameVal', 'An expression attribute value used in expression is not defined; attribute value: ' + raw.ref);
        }
      }
      const v = value ?? { NULL: true as const };
      return { node: { k: 'value', value: v }, type: value ? typeOf(value) : null };
    }
    return this.call(raw);
  }

  private misused(args: Resolved[]): void {
    for (const a of args) {
      if (a.node.k === 'call') {
        this.set('misusedFunction', 'The function is not allowed to be used this way in an expression; function: ' + a.node.name);
        return;
      }
    }
  }

  private distinct(name: string, args: Resolved[]): void {
    if (this.has('distinct') || args.length !== 2) return;
    const [x, y] = args as [Resolved, Resolved];
    if (x.node.k !== 'path' || y.node.k !== 'path') return;
    const p = x.node.path;
    const q = y.node.path;
    if (p.length !== q.length || p.some((s, i) => s !== q[i])) return;
    this.set(
      'distinct',
      'The first operand must be distinct from the remaining operands for this operator or function; operator: ' +
        name + ', first operand: ' + pathStr(p),
    );
  }

  private call(raw: RawCall): Resolved {
    const args = raw.args.map((a) => this.operand(a));
    this.misused(args);
    const name = raw.name;
    const node: Operand =
      name === 'size' && args.length === 1 ? { k: 'size', arg: (args[0] as Resolved).node } : { k: 'call', name, args: args.map((a) => a.node) };
    return { node, type: this.checkFunction(name, args) };
  }

  private checkFunction(name: string, args: Resolved[]): string | null {
    if (this.has('unknownFunction')) return null;
    const arity = Object.prototype.hasOwnProperty.call(FUNCTION_ARITY, name) ? FUNCTION_ARITY[name] : undefined;
    if (arity === undefined) {
      this.set('unknownFunction', 'Invalid function name; function: ' + name);
      return null;
    }
    if (this.has('operand')) return null;
    if (arity !== args.length) {
      this.set('operand', 'Incorrect number of operands for operator or function; operator or function: ' + name + ', number of operands: ' + args.length);
      return null;
    }
    this.distinct(name, args);
    if (this.has('function')) return null;
    const operandType = (type: string): void =>
      this.set('function', 'Incorrect operand type for operator or function; operator or function: ' + name + ', operand type: ' + type);
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if ((args[0] as Resolved).node.k !== 'path') {
          this.set('function', 'Operator or function requires a document path; operator or function: ' + name);
          return null;
        }
        return 'BOOL';
      case 'begins_with':
        for (const a of args) {
          if (a.type && a.type !== 'S' && a.type !== 'B') {
            operandType(a.type);
            return null;
          }
        }
        return 'BOOL';
      case 'attribute_type': {
        const t = (args[1] as Resolved).type;
        if (t !== 'S') {
          operandType(t ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
          return null;
        }
        const typeName = ((args[1] as Resolved).node as { value: { S: string } }).value.S;
        if (!TYPE_NAMES.includes(typeName)) {
          this.set('function', 'Invalid attribute type name found; type: ' + typeName + ', valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}');
          return null;
        }
        return 'BOOL';
      }
      case 'size': {
        const t = (args[0] as Resolved).type;
        if (t === 'N' || t === 'BOOL' || t === 'NULL') {
          operandType(t);
          return null;
        }
        return 'N';
      }
      default:
        return 'BOOL';
    }
  }

  private misusedSize(c: Cond): void {
    if (c.k === 'fn' && c.name === 'size') {
      this.set('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
    }
  }

  /** After each leaf condition: the first condition-level error, ranked, becomes the condition error. */
  private leafDone(): void {
    if (this.has('condition')) return;
    for (const kind of ['attrNameVal', 'operand', 'distinct', 'function']) {
      if (this.has(kind)) {
        this.set('condition', this.errors[kind] as string);
        return;
      }
    }
  }

  cond(raw: RawCond): Cond {
    if (raw.redundant) this.set('parens', 'The expression has redundant parentheses;');
    switch (raw.k) {
      case 'or':
      case 'and': {
        const a = this.cond(raw.a);
        const b = this.cond(raw.b);
        this.misusedSize(a);
        this.misusedSize(b);
        return { k: raw.k, a, b };
      }
      case 'not': {
        const a = this.cond(raw.a);
        this.misusedSize(a);
        return { k: 'not', a };
      }
      case 'cmp': {
        const a = this.operand(raw.a);
        const b = this.operand(raw.b);
        this.misused([a, b]);
        this.distinct(raw.op, [a, b]);
        this.leafDone();
        return { k: 'cmp', op: raw.op, a: a.node, b: b.node };
      }
      case 'between': {
        const a = this.operand(raw.a);
        const lo = this.operand(raw.lo);
        const hi = this.operand(raw.hi);
        this.misused([a, lo, hi]);
        this.betweenBounds(lo, hi);
        this.leafDone();
        return { k: 'between', a: a.node, lo: lo.node, hi: hi.node };
      }
      case 'in': {
        const a = this.operand(raw.a);
        const list = raw.list.map((o) => this.operand(o));
        this.misused([a, ...list]);
        if (list.length > 100) {
          this.set('function', 'The IN operator is provided with too many operands; number of operands: ' + list.length);
        }
        this.leafDone();
        return { k: 'in', a: a.node, list: list.map((o) => o.node) };
      }
      case 'fn': {
        const r = this.call(raw.call);
        this.leafDone();
        if (r.node.k === 'size') return { k: 'fn', name: 'size', args: [r.node.arg] };
        const node = r.node as { name: string; args: Operand[] };
        return { k: 'fn', name: node.name, args: node.args };
      }
    }
  }

  private betweenBounds(lo: Resolved, hi: Resolved): void {
    if (this.has('function')) return;
    if (lo.node.k !== 'value' || hi.node.k !== 'value' || !lo.type || !hi.type) return;
    const x = lo.node.value;
    const y = hi.node.value;
    const bounds = 'lower bound operand: AttributeValue: ' + render(x) + ', upper bound operand: AttributeValue: ' + render(y);
    if (lo.type !== hi.type) {
      this.set('function', 'The BETWEEN operator requires same data type for lower and upper bounds; ' + bounds);
    } else if ((lo.type === 'S' || lo.type === 'N' || lo.type === 'B') && compareValues(x, y) > 0) {
      this.set('function', 'The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ' + bounds);
    }
  }

  finish(root: Cond, param: string): void {
    this.misusedSize(root);
    for (const kind of ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'condition']) {
      const message = this.errors[kind];
      if (message !== undefined) throw validation('Invalid ' + param + ': ' + message);
    }
  }
}

/** Parses and checks a condition-syntax expression; resolves names/values through the scope. */
export function parseConditionTree(text: string, scope: ExpressionScope, param: string): Cond {
  checkExpressionLength(text, param);
  const raw = parseRawCondition(text, param);
  const checker = new Checker(scope);
  const cond = checker.cond(raw);
  checker.finish(cond, param);
  countOperators(cond, param);
  return cond;
}

/** Every document path a condition reads, in order. */
export function conditionPaths(c: Cond): Path[] {
  const out: Path[] = [];
  const operand = (o: Operand): void => {
    if (o.k === 'path') out.push(o.path);
    else if (o.k === 'size') operand(o.arg);
    else if (o.k === 'call') o.args.forEach(operand);
  };
  const visit = (n: Cond): void => {
    switch (n.k) {
      case 'and':
      case 'or':
        visit(n.a);
        visit(n.b);
        break;
      case 'not':
        visit(n.a);
        break;
      case 'cmp':
        operand(n.a);
        operand(n.b);
        break;
      case 'between':
        [n.a, n.lo, n.hi].forEach(operand);
        break;
      case 'in':
        [n.a, ...n.list].forEach(operand);
        break;
      case 'fn':
        n.args.forEach(operand);
        break;
    }
  };
  visit(c);
  return out;
}

// ---------- evaluation ----------

function sizeOf(v: AttributeValue | undefined): AttributeValue | undefined {
  if (v === undefined) return undefined;
  // Strings count UTF-16 code units as dynalite does (AWS does not document the unit).
  if ('S' in v) return { N: String(v.S.length) };
  if ('B' in v) return { N: String(Buffer.from(v.B, 'base64').length) };
  if ('SS' in v) return { N: String(v.SS.length) };
  if ('NS' in v) return { N: String(v.NS.length) };
  if ('BS' in v) return { N: String(v.BS.length) };
  if ('L' in v) return { N: String(v.L.length) };
  if ('M' in v) return { N: String(Object.keys(v.M).length) };
  return undefined;
}

export function evalOperand(o: Operand, item: Item | undefined): AttributeValue | undefined {
  switch (o.k) {
    case 'path':
      return getPath(item, o.path);
    case 'value':
      return o.value;
    case 'size':
      return sizeOf(evalOperand(o.arg, item));
    case 'call':
      return undefined;
  }
}

const ORDERED = new Set(['S', 'N', 'B']);

function orderable(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const t = typeOf(a);
  return t === typeOf(b) && ORDERED.has(t);
}

function bytes(b64: string): Buffer {
  return Buffer.from(b64, 'base64');
}

function contains(haystack: AttributeValue | undefined, needle: AttributeValue | undefined): boolean {
  if (haystack === undefined || needle === undefined) return false;
  if ('S' in haystack) return 'S' in needle && haystack.S.includes(needle.S);
  if ('B' in haystack) return 'B' in needle && bytes(haystack.B).includes(bytes(needle.B));
  if ('SS' in haystack) return 'S' in needle && haystack.SS.includes(needle.S);
  if ('NS' in haystack) return 'N' in needle && haystack.NS.some((n) => valuesEqual({ N: n }, needle));
  if ('BS' in haystack) return 'B' in needle && haystack.BS.some((b) => valuesEqual({ B: b }, needle));
  if ('L' in haystack) return haystack.L.some((e) => valuesEqual(e, needle));
  return false;
}

function beginsWith(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if ('S' in a) return 'S' in b && a.S.startsWith(b.S);
  if ('B' in a && 'B' in b) {
    const x = bytes(a.B);
    const y = bytes(b.B);
    return y.length <= x.length && x.subarray(0, y.length).equals(y);
  }
  return false;
}

export function evalCond(c: Cond, item: Item | undefined): boolean {
  switch (c.k) {
    case 'and':
      return evalCond(c.a, item) && evalCond(c.b, item);
    case 'or':
      return evalCond(c.a, item) || evalCond(c.b, item);
    case 'not':
      return !evalCond(c.a, item);
    case 'cmp': {
      const a = evalOperand(c.a, item);
      const b = evalOperand(c.b, item);
      if (c.op === '=') return a !== undefined && b !== undefined && valuesEqual(a, b);
      // DynamoDB (and dynalite): <> is true when the types differ or an operand is missing.
      if (c.op === '<>') return !(a !== undefined && b !== undefined && valuesEqual(a, b));
      if (!orderable(a, b)) return false;
      const r = compareValues(a as AttributeValue, b as AttributeValue);
      return c.op === '<' ? r < 0 : c.op === '<=' ? r <= 0 : c.op === '>' ? r > 0 : r >= 0;
    }
    case 'between': {
      const a = evalOperand(c.a, item);
      const lo = evalOperand(c.lo, item);
      const hi = evalOperand(c.hi, item);
      if (!orderable(a, lo) || !orderable(a, hi)) return false;
      return compareValues(a as AttributeValue, lo as AttributeValue) >= 0 && compareValues(a as AttributeValue, hi as AttributeValue) <= 0;
    }
    case 'in': {
      const a = evalOperand(c.a, item);
      if (a === undefined) return false;
      return c.list.some((o) => {
        const v = evalOperand(o, item);
        return v !== undefined && valuesEqual(a, v);
      });
    }
    case 'fn': {
      const [x, y] = c.args as [Operand, Operand | undefined];
      switch (c.name) {
        case 'attribute_exists':
          return evalOperand(x, item) !== undefined;
        case 'attribute_not_exists':
          return evalOperand(x, item) === undefined;
        case 'attribute_type': {
          const v = evalOperand(x, item);
          const t = y ? evalOperand(y, item) : undefined;
          return v !== undefined && t !== undefined && 'S' in t && typeOf(v) === t.S;
        }
        case 'begins_with':
          return beginsWith(evalOperand(x, item), y ? evalOperand(y, item) : undefined);
        case 'contains':
          return contains(evalOperand(x, item), y ? evalOperand(y, item) : undefined);
        default:
          return false;
      }
    }
  }
}
