/**
 * Update expressions: SET (with +, -, list_append, if_not_exists), REMOVE, ADD, DELETE.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 * Grammar, messages and their priority as recorded by dynalite (Apache-2.0: db/updateParser.pegjs,
 * actions/updateItem.js).
 *
 *   update  ::= section+            (each of SET / REMOVE / ADD / DELETE at most once, any order)
 *   SET     path '=' setvalue (',' ...)*     setvalue ::= '(' v ')' | v
 *           v ::= operand ('+' | '-') operand | operand      operand ::= '(' o ')' | o
 *           o ::= function '(' operand (',' operand)* ')' | :value | path
 *   REMOVE  path (',' path)*        ADD / DELETE  path :value (',' ...)*
 */
import { validation } from '../errors';
import type { AttributeValue, Item } from '../types';
import { addNumbers, subtractNumbers } from '../values/numbers';
import { valuesEqual } from '../values/compare';
import { setOwn } from '../values/validate';
import type { RawElem, RawPath } from './condition';
import { ParserBase } from './lexer';
import { checkExpressionLength, countOperators } from './limits';
import { getPath, pathClash, pathStr, type Path } from './paths';
import { isReserved } from './reserved';
import type { ExpressionScope } from './scope';

type SectionName = 'SET' | 'REMOVE' | 'ADD' | 'DELETE';
const SECTIONS = new Set<string>(['SET', 'REMOVE', 'ADD', 'DELETE']);

interface RawValueRef {
  k: 'value';
  ref: string;
}
interface RawFn {
  k: 'call';
  name: string;
  args: RawOp[];
}
type RawOp = RawPath | RawValueRef | RawFn;
type RawSetValue = RawOp | { k: 'arith'; op: '+' | '-'; a: RawOp; b: RawOp };
type RawAction =
  | { action: 'SET'; path: RawPath; value: RawSetValue }
  | { action: 'REMOVE'; path: RawPath }
  | { action: 'ADD' | 'DELETE'; path: RawPath; value: RawValueRef };
interface RawSection {
  name: SectionName;
  actions: RawAction[];
}

class UpdateParser extends ParserBase {
  parse(): RawSection[] {
    return this.run(() => {
      const sections = [this.section()];
      for (;;) {
        const s = this.optional(() => this.section());
        if (!s) break;
        sections.push(s);
      }
      return sections;
    });
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isPunct(',')) {
      const save = this.pos;
      this.next();
      const x = this.optional(item);
      if (x === undefined) {
        this.pos = save;
        break;
      }
      out.push(x);
    }
    return out;
  }

  private section(): RawSection {
    const t = this.peek();
    const name = t.kind === 'ident' ? t.text.toUpperCase() : '';
    if (!SECTIONS.has(name)) this.fail();
    this.next();
    switch (name as SectionName) {
      case 'SET':
        return {
          name: 'SET',
          actions: this.list<RawAction>(() => {
            const path = this.path();
            this.expectPunct('=');
            return { action: 'SET', path, value: this.setValueParens() };
          }),
        };
      case 'REMOVE':
        return { name: 'REMOVE', actions: this.list<RawAction>(() => ({ action: 'REMOVE', path: this.path() })) };
      case 'ADD':
      case 'DELETE': {
        const action = name as 'ADD' | 'DELETE';
        return {
          name: action,
          actions: this.list<RawAction>(() => {
            const path = this.path();
            return { action, path, value: this.valueRef() };
          }),
        };
      }
    }
  }

  private setValueParens(): RawSetValue {
    return this.choice<RawSetValue>(
      () => {
        this.expectPunct('(');
        const v = this.setValue();
        this.expectPunct(')');
        return v;
      },
      () => this.setValue(),
    );
  }

  private setValue(): RawSetValue {
    return this.memoize('setValue', () =>
      this.choice<RawSetValue>(
        () => {
          const a = this.operandParens();
          const t = this.peek();
          if (!(t.kind === 'punct' && (t.text === '+' || t.text === '-'))) this.fail();
          this.next();
          const b = this.operandParens();
          return { k: 'arith', op: t.text as '+' | '-', a, b };
        },
        () => this.operandParens(),
      ),
    );
  }

  private operandParens(): RawOp {
    return this.memoize('operandParens', () =>
      this.choice<RawOp>(
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

  private operand(): RawOp {
    return this.memoize('operand', () => this.choice<RawOp>(() => this.func(), () => this.valueRef(), () => this.path()));
  }

  private func(): RawFn {
    const t = this.peek();
    if (t.kind !== 'ident' || SECTIONS.has(t.text.toUpperCase())) this.fail();
    this.next();
    this.expectPunct('(');
    const args = this.list(() => this.operandParens());
    this.expectPunct(')');
    return { k: 'call', name: t.text, args };
  }

  private valueRef(): RawValueRef {
    const t = this.peek();
    if (t.kind !== 'value') this.fail();
    this.next();
    return { k: 'value', ref: t.text };
  }

  private identifier(): RawElem {
    const t = this.peek();
    if (t.kind === 'name') {
      this.next();
      return { kind: 'name', ref: t.text };
    }
    if (t.kind !== 'ident' || SECTIONS.has(t.text.toUpperCase())) this.fail();
    this.next();
    return { kind: 'ident', name: t.text };
  }

  private path(): RawPath {
    return this.memoize('path', () => {
      const elems: RawElem[] = [this.identifier()];
      for (;;) {
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
          return this.identifier();
        });
        if (!step) break;
        elems.push(step);
      }
      return { k: 'path', elems };
    });
  }
}

// ---------- resolved form ----------

export type UpdateOperand =
  | { k: 'path'; path: Path }
  | { k: 'value'; value: AttributeValue }
  | { k: 'if_not_exists'; path: Path; fallback: UpdateOperand }
  | { k: 'list_append'; a: UpdateOperand; b: UpdateOperand }
  | { k: 'arith'; op: '+' | '-'; a: UpdateOperand; b: UpdateOperand };

export type UpdateAction =
  | { action: 'SET'; path: Path; value: UpdateOperand }
  | { action: 'REMOVE'; path: Path }
  | { action: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

const TYPE_WORDS: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };
const FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2, '+': 2, '-': 2 };

function typeOf(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

interface Checked {
  node: UpdateOperand;
  /** Immediate type: only for literal values. */
  immediate: string | null;
}

class UpdateChecker {
  private readonly errors: Record<string, string> = {};
  private readonly seen = new Set<string>();
  readonly paths: Path[] = [];

  constructor(private readonly scope: ExpressionScope) {}

  private set(kind: string, message: string): void {
    if (this.errors[kind] === undefined) this.errors[kind] = message;
  }

  private path(raw: RawPath): Path {
    const out: Path = [];
    for (const e of raw.elems) {
      if (e.kind === 'index') out.push(e.index);
      else if (e.kind === 'ident') {
        if (isReserved(e.name)) this.set('reserved', 'Attribute name is a reserved keyword; reserved keyword: ' + e.name);
        out.push(e.name);
      } else {
        let name: string | undefined;
        if (this.errors.attrName === undefined) {
          name = this.scope.resolveName(e.ref);
          if (name === undefined) this.set('attrName', 'An expression attribute name used in the document path is not defined; attribute name: ' + e.ref);
        }
        out.push(name ?? e.ref);
      }
    }
    return out;
  }

  private value(raw: RawValueRef): AttributeValue | undefined {
    if (this.errors.attrVal !== undefined) return undefined;
    const v = this.scope.resolveValue(raw.ref);
    if (v === undefined) this.set('attrVal', 'An expression attribute value used in expression is not defined; attribute value: ' + raw.ref);
    return v;
  }

  private operand(raw: RawOp): Checked {
    if (raw.k === 'path') return { node: { k: 'path', path: this.path(raw) }, immediate: null };
    if (raw.k === 'value') {
      const v = this.value(raw);
      return { node: { k: 'value', value: v ?? { NULL: true } }, immediate: v ? typeOf(v) : null };
    }
    const args = raw.args.map((a) => this.operand(a));
    this.checkFunction(raw.name, args);
    const [a, b] = args as [Checked, Checked | undefined];
    const second = b ? b.node : ({ k: 'value', value: { NULL: true } } as UpdateOperand);
    if (raw.name === 'if_not_exists') {
      return { node: { k: 'if_not_exists', path: a.node.k === 'path' ? a.node.path : [], fallback: second }, immediate: null };
    }
    return { node: { k: 'list_append', a: a.node, b: second }, immediate: null };
  }

  private checkFunction(name: string, args: Checked[]): void {
    if (this.errors.unknownFunction !== undefined) return;
    const arity = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) && name !== '+' && name !== '-' ? FUNCTIONS[name] : undefined;
    if (arity === undefined) {
      this.set('unknownFunction', 'Invalid function name; function: ' + name);
      return;
    }
    this.checkArgs(name, arity, args);
  }

  private checkArgs(name: string, arity: number, args: Checked[]): void {
    if (this.errors.function !== undefined) return;
    if (arity !== args.length) {
      this.set('function', 'Incorrect number of operands for operator or function; operator or function: ' + name + ', number of operands: ' + args.length);
      return;
    }
    if (name === 'if_not_exists') {
      if ((args[0] as Checked).node.k !== 'path') {
        this.set('function', 'Operator or function requires a document path; operator or function: ' + name);
      }
      return;
    }
    const wanted = name === 'list_append' ? 'L' : 'N';
    for (const a of args) {
      if (a.immediate && a.immediate !== wanted) {
        this.set('function', 'Incorrect operand type for operator or function; operator or function: ' + name + ', operand type: ' + a.immediate);
        return;
      }
    }
  }

  private checkPath(path: Path): void {
    if (this.errors.pathOverlap !== undefined) return;
    for (const p of this.paths) {
      const clash = pathClash(p, path);
      const detail = '; must remove or rewrite one of these paths; path one: ' + pathStr(p) + ', path two: ' + pathStr(path);
      if (clash === 'conflict') this.set('pathConflict', 'Two document paths conflict with each other' + detail);
      if (clash === 'overlap') {
        this.set('pathOverlap', 'Two document paths overlap with each other' + detail);
        return;
      }
    }
    this.paths.push(path);
  }

  private checkOperator(operator: 'ADD' | 'DELETE', v: AttributeValue | undefined): void {
    if (this.errors.operand !== undefined || v === undefined) return;
    const t = typeOf(v);
    const word = TYPE_WORDS[t];
    if (word !== undefined && !(operator === 'ADD' && t === 'N')) {
      this.set('operand', 'Incorrect operand type for operator or function; operator: ' + operator + ', operand type: ' + word);
    }
  }

  section(raw: RawSection): UpdateAction[] {
    const actions = raw.actions.map((a): UpdateAction => {
      const path = this.path(a.path);
      if (a.action === 'REMOVE') {
        this.checkPath(path);
        return { action: 'REMOVE', path };
      }
      if (a.action === 'SET') {
        let value: UpdateOperand;
        if (a.value.k === 'arith') {
          const x = this.operand(a.value.a);
          const y = this.operand(a.value.b);
          this.checkArgs(a.value.op, 2, [x, y]);
          value = { k: 'arith', op: a.value.op, a: x.node, b: y.node };
        } else value = this.operand(a.value).node;
        this.checkPath(path);
        return { action: 'SET', path, value };
      }
      const v = this.value(a.value);
      this.checkPath(path);
      this.checkOperator(a.action, v);
      return { action: a.action, path, value: v ?? { NULL: true } };
    });
    if (this.seen.has(raw.name)) this.set('section', 'The "' + raw.name + '" section can only be used once in an update expression;');
    this.seen.add(raw.name);
    return actions;
  }

  finish(): void {
    for (const kind of ['reserved', 'unknownFunction', 'section', 'attrName', 'attrVal', 'pathOverlap', 'pathConflict', 'operand', 'function']) {
      const message = this.errors[kind];
      if (message !== undefined) throw validation('Invalid UpdateExpression: ' + message);
    }
  }
}

export interface ParsedUpdate {
  actions: UpdateAction[];
  /** Every path the update writes or removes, in order. */
  paths: Path[];
}

/**
 * The type a SET action's value has before it is evaluated (DynamoDB checks index key types with it
 * before reading the item): a literal's type, N for + and -, L for list_append, if_not_exists' fallback
 * type; null when it depends on the item (a bare path).
 */
export function staticType(o: UpdateOperand): string | null {
  switch (o.k) {
    case 'value':
      return typeOf(o.value);
    case 'arith':
      return 'N';
    case 'list_append':
      return 'L';
    case 'if_not_exists':
      return staticType(o.fallback);
    case 'path':
      return null;
  }
}

/** Every document path the update reads or writes (targets and operands), in order. */
export function updatePathsUsed(actions: UpdateAction[]): Path[] {
  const out: Path[] = [];
  const visit = (o: UpdateOperand): void => {
    if (o.k === 'path') out.push(o.path);
    else if (o.k === 'if_not_exists') {
      out.push(o.path);
      visit(o.fallback);
    } else if (o.k === 'list_append' || o.k === 'arith') {
      visit(o.a);
      visit(o.b);
    }
  };
  for (const a of actions) {
    out.push(a.path);
    if (a.action === 'SET') visit(a.value);
  }
  return out;
}

export function parseUpdateTree(text: string, scope: ExpressionScope): ParsedUpdate {
  checkExpressionLength(text, 'UpdateExpression');
  const raw = new UpdateParser(text, 'UpdateExpression').parse();
  const checker = new UpdateChecker(scope);
  const actions = raw.flatMap((s) => checker.section(s));
  checker.finish();
  // Each action counts as one operator (=, REMOVE, ADD, DELETE) plus its functions and + / -.
  countOperators(actions.map((a) => ('value' in a && a.action === 'SET' ? a.value : { k: 'op' })), 'UpdateExpression');
  return { actions, paths: checker.paths };
}

// ---------- application ----------

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

export function cloneValue(v: AttributeValue): AttributeValue {
  if ('L' in v) return { L: v.L.map(cloneValue) };
  if ('M' in v) return { M: cloneItem(v.M) };
  if ('SS' in v) return { SS: [...v.SS] };
  if ('NS' in v) return { NS: [...v.NS] };
  if ('BS' in v) return { BS: [...v.BS] };
  return { ...v } as AttributeValue;
}

export function cloneItem(item: Item): Item {
  const out: Item = {};
  for (const k of Object.keys(item)) setOwn(out, k, cloneValue(item[k] as AttributeValue));
  return out;
}

function resolve(o: UpdateOperand, item: Item): AttributeValue {
  switch (o.k) {
    case 'value':
      return o.value;
    case 'path': {
      const v = getPath(item, o.path);
      if (v === undefined) throw validation('The provided expression refers to an attribute that does not exist in the item');
      return v;
    }
    case 'if_not_exists':
      return getPath(item, o.path) ?? resolve(o.fallback, item);
    case 'list_append': {
      const a = resolve(o.a, item);
      if (!('L' in a)) throw validation(WRONG_TYPE);
      const b = resolve(o.b, item);
      if (!('L' in b)) throw validation(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
    case 'arith': {
      const a = resolve(o.a, item);
      if (!('N' in a)) throw validation(WRONG_TYPE);
      const b = resolve(o.b, item);
      if (!('N' in b)) throw validation(WRONG_TYPE);
      return { N: o.op === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
    }
  }
}

/** Refuses an update touching a key attribute, with DynamoDB's message. */
export function assertKeysNotUpdated(update: ParsedUpdate, keyNames: string[]): void {
  for (const key of keyNames) {
    if (update.actions.some((a) => a.path[0] === key)) {
      throw validation('One or more parameter values were invalid: Cannot update attribute ' + key + '. This attribute is part of the key');
    }
  }
}

function setMembers(v: AttributeValue): string[] | undefined {
  if ('SS' in v) return v.SS;
  if ('NS' in v) return v.NS;
  if ('BS' in v) return v.BS;
  return undefined;
}

function memberEqual(type: string, x: string, y: string): boolean {
  return valuesEqual({ [type[0] as string]: x } as AttributeValue, { [type[0] as string]: y } as AttributeValue);
}

export function applyParsedUpdate(update: ParsedUpdate, item: Item, keyNames: string[]): { item: Item; changed: string[] } {
  assertKeysNotUpdated(update, keyNames);
  // SET values are computed from the item as it was before the update.
  const values = update.actions.map((a) => (a.action === 'SET' ? resolve(a.value, item) : undefined));
  const out = cloneItem(item);
  const root: AttributeValue = { M: out };
  // Lists that got holes (removed elements) or elements past their end: compacted at the end.
  const touchedLists = new Set<AttributeValue[]>();

  update.actions.forEach((a, i) => {
    const last = a.path[a.path.length - 1] as string | number;
    const parent = a.path.length === 1 ? root : getPath(out, a.path.slice(0, -1));
    if (parent === undefined || (typeof last === 'number' ? !('L' in parent) : !('M' in parent))) throw validation(INVALID_PATH);
    const get = (): AttributeValue | undefined =>
      'L' in parent ? parent.L[last as number] : 'M' in parent && Object.prototype.hasOwnProperty.call(parent.M, last) ? parent.M[last as string] : undefined;
    const put = (v: AttributeValue): void => {
      if ('L' in parent) {
        if ((last as number) >= parent.L.length) touchedLists.add(parent.L);
        parent.L[last as number] = v;
      } else if ('M' in parent) setOwn(parent.M, last as string, v);
    };
    const drop = (): void => {
      if ('L' in parent) {
        if ((last as number) < parent.L.length) {
          delete parent.L[last as number];
          touchedLists.add(parent.L);
        }
      } else if ('M' in parent) delete parent.M[last as string];
    };
    const existing = get();
    switch (a.action) {
      case 'SET':
        put(cloneValue(values[i] as AttributeValue));
        break;
      case 'REMOVE':
        drop();
        break;
      case 'ADD': {
        const type = typeOf(a.value);
        if (existing !== undefined && typeOf(existing) !== type) throw validation(WRONG_TYPE);
        if ('N' in a.value) {
          put({ N: addNumbers(existing && 'N' in existing ? existing.N : '0', a.value.N) });
        } else {
          const current = existing ? (setMembers(existing) as string[]) : [];
          const merged = [...current];
          for (const m of setMembers(a.value) ?? []) if (!merged.some((x) => memberEqual(type, x, m))) merged.push(m);
          put({ [type]: merged } as AttributeValue);
        }
        break;
      }
      case 'DELETE': {
        if (existing === undefined) break;
        const type = typeOf(a.value);
        if (typeOf(existing) !== type) throw validation(WRONG_TYPE);
        const removing = setMembers(a.value) ?? [];
        const kept = (setMembers(existing) as string[]).filter((x) => !removing.some((m) => memberEqual(type, x, m)));
        if (kept.length) put({ [type]: kept } as AttributeValue);
        else drop();
        break;
      }
    }
  });

  for (const list of touchedLists) {
    const compact = list.filter((v) => v !== undefined);
    list.length = 0;
    list.push(...compact);
  }
  const changed: string[] = [];
  for (const a of update.actions) if (!changed.includes(a.path[0] as string)) changed.push(a.path[0] as string);
  return { item: out, changed };
}
