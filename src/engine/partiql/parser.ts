/**
 * Recursive-descent parser of DynamoDB's PartiQL subset (no regular expressions):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.statements.html
 *
 *   statement := select | insert | update | delete
 *   select    := SELECT ('*' | path (',' path)*) FROM name ('.' name)? (WHERE cond)?
 *   insert    := INSERT INTO name VALUE (document | ?)
 *   update    := UPDATE name (SET path '=' operand (',' path '=' operand)* | REMOVE path (',' path)*)+ WHERE cond
 *   delete    := DELETE FROM name WHERE cond
 *   cond      := and (OR and)*      and := not (AND not)*      not := NOT not | predicate
 *   predicate := '(' cond ')' | operand (cmp operand | BETWEEN operand AND operand
 *                | IN ('[' | '(') operand,* (']' | ')') | IS [NOT] MISSING) | call
 *   operand   := primary (('+' | '-') primary)*
 *   primary   := ? | 'string' | number | TRUE | FALSE | NULL | MISSING | {'k': operand, ...}
 *                | [operand, ...] | <<operand, ...>> | name '(' operand,* ')' | path
 *   path      := name ('.' name | '[' int ']')*        name := identifier | "quoted identifier"
 */
import type { PartiqlStatement, ParsedStatement, PqlCall, PqlComparator, PqlCondition, PqlDocument, PqlLiteral, PqlOperand, PqlParam, PqlPath } from './ast';
import { notWellFormed, tokenizePartiql, type PqlToken } from './lexer';

/** Words that cannot be a bare attribute name (quote them: "value"). */
const KEYWORDS = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'SET', 'REMOVE', 'VALUE', 'INSERT', 'INTO', 'UPDATE', 'DELETE', 'MISSING', 'NULL', 'TRUE', 'FALSE', 'RETURNING']);
const COMPARATORS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);
const MAX_DEPTH = 100;

class PartiqlParser {
  private readonly toks: PqlToken[];
  private pos = 0;
  private params = 0;
  private depth = 0;
  readonly literals: PqlLiteral[] = [];

  constructor(private readonly text: string) {
    this.toks = tokenizePartiql(text);
  }

  get parameterCount(): number {
    return this.params;
  }

  private peek(offset = 0): PqlToken {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)] as PqlToken;
  }

  private next(): PqlToken {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private unexpected(expected: string): never {
    const t = this.peek();
    const shown = t.kind === 'eof' ? 'end of statement' : `${JSON.stringify(this.text.slice(t.start, t.end))} at offset ${t.start}`;
    throw notWellFormed(`expected ${expected}, found ${shown}`);
  }

  private isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === p;
  }

  private keyword(word: string): void {
    if (!this.isKeyword(word)) this.unexpected(word);
    this.next();
  }

  private punct(p: string): void {
    if (!this.isPunct(p)) this.unexpected(`'${p}'`);
    this.next();
  }

  private nested<T>(rule: () => T): T {
    if (++this.depth > MAX_DEPTH) throw notWellFormed(`nesting deeper than ${MAX_DEPTH}`);
    try {
      return rule();
    } finally {
      this.depth--;
    }
  }

  parse(): PartiqlStatement {
    let s: PartiqlStatement;
    if (this.isKeyword('SELECT')) s = this.select();
    else if (this.isKeyword('INSERT')) s = this.insert();
    else if (this.isKeyword('UPDATE')) s = this.update();
    else if (this.isKeyword('DELETE')) s = this.del();
    else this.unexpected('SELECT, INSERT, UPDATE or DELETE');
    if (this.peek().kind !== 'eof') this.unexpected('end of statement');
    return s;
  }

  private name(what: string): string {
    const t = this.peek();
    if (t.kind === 'quoted') {
      if (t.text === '') throw notWellFormed(`empty quoted identifier at offset ${t.start}`);
      this.next();
      return t.text;
    }
    if (t.kind === 'ident' && !KEYWORDS.has(t.text.toUpperCase())) {
      this.next();
      return t.text;
    }
    return this.unexpected(what);
  }

  private select(): PartiqlStatement {
    this.keyword('SELECT');
    let projection: '*' | PqlPath[];
    if (this.isPunct('*')) {
      this.next();
      projection = '*';
    } else {
      projection = [this.path()];
      while (this.isPunct(',')) {
        this.next();
        projection.push(this.path());
      }
    }
    this.keyword('FROM');
    const table = this.name('a table name');
    let index: string | undefined;
    if (this.isPunct('.')) {
      this.next();
      index = this.name('an index name');
    }
    let where: PqlCondition | undefined;
    if (this.isKeyword('WHERE')) {
      this.next();
      where = this.condition();
    }
    return { kind: 'SELECT', table, ...(index !== undefined ? { index } : {}), projection, ...(where ? { where } : {}) };
  }

  private insert(): PartiqlStatement {
    this.keyword('INSERT');
    this.keyword('INTO');
    const table = this.name('a table name');
    this.keyword('VALUE');
    const value = this.isPunct('{') ? this.document() : this.peek().kind === 'param' ? this.param() : this.unexpected('a document {...} or ?');
    return { kind: 'INSERT', table, value };
  }

  private update(): PartiqlStatement {
    this.keyword('UPDATE');
    const table = this.name('a table name');
    const set: Array<{ path: PqlPath; value: PqlOperand }> = [];
    const remove: PqlPath[] = [];
    while (this.isKeyword('SET') || this.isKeyword('REMOVE')) {
      if (this.isKeyword('SET')) {
        this.next();
        do {
          if (this.isPunct(',')) this.next();
          const path = this.path();
          this.punct('=');
          set.push({ path, value: this.operand() });
        } while (this.isPunct(','));
      } else {
        this.next();
        remove.push(this.path());
        while (this.isPunct(',')) {
          this.next();
          remove.push(this.path());
        }
      }
    }
    if (!set.length && !remove.length) this.unexpected('SET or REMOVE');
    this.keyword('WHERE');
    return { kind: 'UPDATE', table, set, remove, where: this.condition() };
  }

  private del(): PartiqlStatement {
    this.keyword('DELETE');
    this.keyword('FROM');
    const table = this.name('a table name');
    this.keyword('WHERE');
    return { kind: 'DELETE', table, where: this.condition() };
  }

  private condition(): PqlCondition {
    return this.nested(() => {
      let a = this.and();
      while (this.isKeyword('OR')) {
        this.next();
        a = { k: 'or', a, b: this.and() };
      }
      return a;
    });
  }

  private and(): PqlCondition {
    let a = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      a = { k: 'and', a, b: this.not() };
    }
    return a;
  }

  private not(): PqlCondition {
    if (this.isKeyword('NOT')) {
      this.next();
      return this.nested(() => ({ k: 'not', a: this.not() }));
    }
    return this.predicate();
  }

  private predicate(): PqlCondition {
    if (this.isPunct('(')) {
      this.next();
      const c = this.condition();
      this.punct(')');
      return c;
    }
    const a = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      this.next();
      const op = (t.text === '!=' ? '<>' : t.text) as PqlComparator;
      return { k: 'cmp', op, a, b: this.operand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const lo = this.operand();
      this.keyword('AND');
      return { k: 'between', a, lo, hi: this.operand() };
    }
    if (this.isKeyword('IN')) {
      this.next();
      const close = this.isPunct('[') ? ']' : this.isPunct('(') ? ')' : this.unexpected("'[' or '('");
      this.next();
      const list = this.operandList(close);
      return { k: 'in', a, list };
    }
    if (this.isKeyword('IS')) {
      this.next();
      let negated = false;
      if (this.isKeyword('NOT')) {
        this.next();
        negated = true;
      }
      this.keyword('MISSING');
      if (a.k !== 'path') throw notWellFormed('IS [NOT] MISSING applies to an attribute path');
      return { k: 'missing', a, negated };
    }
    if (a.k === 'call') return { k: 'fn', call: a };
    return this.unexpected('a comparison, BETWEEN, IN, IS MISSING or a function');
  }

  private operandList(close: string): PqlOperand[] {
    const list: PqlOperand[] = [];
    if (this.isPunct(close)) {
      this.next();
      return list;
    }
    for (;;) {
      list.push(this.operand());
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      this.punct(close);
      return list;
    }
  }

  private operand(): PqlOperand {
    return this.nested(() => {
      let a = this.primary();
      while (this.isPunct('+') || this.isPunct('-')) {
        const op = this.next().text as '+' | '-';
        a = { k: 'arith', op, a, b: this.primary() };
      }
      return a;
    });
  }

  private param(): PqlParam {
    this.next();
    return { k: 'param', index: this.params++ };
  }

  private literal(l: PqlLiteral): PqlLiteral {
    this.literals.push(l);
    return l;
  }

  private primary(): PqlOperand {
    const t = this.peek();
    if (t.kind === 'param') return this.param();
    if (t.kind === 'string') {
      this.next();
      return this.literal({ k: 'literal', literal: 'string', value: { S: t.text } });
    }
    if (t.kind === 'number' || (this.isPunct('-') && this.peek(1).kind === 'number')) {
      const neg = this.isPunct('-');
      if (neg) this.next();
      const n = this.next();
      return this.literal({ k: 'literal', literal: 'number', value: { N: (neg ? '-' : '') + n.text } });
    }
    if (t.kind === 'ident') {
      const word = t.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE') {
        this.next();
        return this.literal({ k: 'literal', literal: 'boolean', value: { BOOL: word === 'TRUE' } });
      }
      if (word === 'NULL') {
        this.next();
        return this.literal({ k: 'literal', literal: 'null', value: { NULL: true } });
      }
      if (word === 'MISSING') {
        this.next();
        return this.literal({ k: 'literal', literal: 'missing', value: undefined });
      }
      if (this.isPunct('(', 1) && !KEYWORDS.has(word)) {
        this.next();
        this.next();
        const call: PqlCall = { k: 'call', name: t.text.toLowerCase(), args: this.operandList(')') };
        return call;
      }
    }
    if (this.isPunct('{')) return this.document();
    if (this.isPunct('[')) {
      this.next();
      return { k: 'list', items: this.operandList(']') };
    }
    if (this.isPunct('<<')) {
      this.next();
      return { k: 'bag', items: this.operandList('>>') };
    }
    return this.path();
  }

  private document(): PqlDocument {
    return this.nested(() => {
      this.punct('{');
      const entries: Array<{ key: string; value: PqlOperand }> = [];
      const seen = new Set<string>();
      if (this.isPunct('}')) {
        this.next();
        return { k: 'document', entries };
      }
      for (;;) {
        const t = this.peek();
        if (t.kind !== 'string') this.unexpected("a 'quoted' attribute name");
        this.next();
        if (seen.has(t.text)) throw notWellFormed(`duplicate attribute name '${t.text}' in a document`);
        seen.add(t.text);
        this.punct(':');
        entries.push({ key: t.text, value: this.operand() });
        if (this.isPunct(',')) {
          this.next();
          continue;
        }
        this.punct('}');
        return { k: 'document', entries };
      }
    });
  }

  private path(): PqlPath {
    const root = this.name('an attribute name');
    const steps: Array<{ field: string } | { index: number }> = [];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        steps.push({ field: this.name('an attribute name') });
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.peek();
        if (t.kind !== 'number' || [...t.text].some((c) => c < '0' || c > '9')) this.unexpected('a list index');
        this.next();
        this.punct(']');
        steps.push({ index: Number(t.text) });
      } else break;
    }
    return { k: 'path', root, steps };
  }
}

/** Parses one statement; throws ValidationException ("Statement wasn't well formed, ...") on bad syntax. */
export function parsePartiql(text: string): ParsedStatement {
  const p = new PartiqlParser(text);
  const statement = p.parse();
  return { statement, parameterCount: p.parameterCount, literals: p.literals };
}
