/**
 * Tokenizer and backtracking (packrat) parser base for DynamoDB's expression languages.
 * Syntax errors are reported as DynamoDB does: `Syntax error; token: "<tok>", near: "<prev tok .. next tok>"`,
 * the offending token being the farthest one any alternative reached (as a PEG parser would).
 */
import { validation, type EngineError } from '../errors';

export type TokenKind = 'ident' | 'name' | 'value' | 'int' | 'punct' | 'eof' | 'bad';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isWord = (c: string): boolean => isAlpha(c) || isDigit(c);
const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

const TWO_CHAR = new Set(['<>', '<=', '>=']);
const ONE_CHAR = new Set(['(', ')', '[', ']', '.', ',', '=', '<', '>', '+', '-']);

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isAlpha(c)) {
      while (i < text.length && isWord(text[i] as string)) i++;
      out.push({ kind: 'ident', text: text.slice(start, i), start, end: i });
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text[i] as string)) i++;
      out.push({ kind: 'int', text: text.slice(start, i), start, end: i });
    } else if (c === '#' || c === ':') {
      i++;
      while (i < text.length && isWord(text[i] as string)) i++;
      out.push({ kind: c === '#' ? 'name' : 'value', text: text.slice(start, i), start, end: i });
    } else if (TWO_CHAR.has(text.slice(i, i + 2))) {
      i += 2;
      out.push({ kind: 'punct', text: text.slice(start, i), start, end: i });
    } else if (ONE_CHAR.has(c)) {
      i++;
      out.push({ kind: 'punct', text: c, start, end: i });
    } else {
      const cp = text.codePointAt(i) as number;
      i += cp > 0xffff ? 2 : 1;
      out.push({ kind: 'bad', text: text.slice(start, i), start, end: i });
    }
  }
  out.push({ kind: 'eof', text: '<EOF>', start: text.length, end: text.length });
  return out;
}

/** Thrown inside the parser when an alternative does not match; never escapes parse(). */
export class NoMatch {
  readonly noMatch = true;
}
const NO_MATCH = new NoMatch();

export abstract class ParserBase {
  protected readonly toks: Token[];
  protected pos = 0;
  private farthest = 0;
  private readonly memo = new Map<string, { node: unknown; end: number } | NoMatch>();

  constructor(
    protected readonly text: string,
    protected readonly param: string,
  ) {
    this.toks = tokenize(text);
  }

  protected peek(offset = 0): Token {
    return this.toks[Math.min(this.pos + offset, this.toks.length - 1)] as Token;
  }

  protected fail(): never {
    if (this.pos > this.farthest) this.farthest = this.pos;
    throw NO_MATCH;
  }

  protected next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }

  protected isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === p;
  }

  protected isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  protected expectPunct(p: string): Token {
    if (!this.isPunct(p)) this.fail();
    return this.next();
  }

  protected expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) this.fail();
    return this.next();
  }

  /** Ordered choice: the first alternative that matches wins; position restored between tries. */
  protected choice<T>(...alternatives: Array<() => T>): T {
    const start = this.pos;
    for (const alt of alternatives) {
      try {
        return alt();
      } catch (e) {
        if (!(e instanceof NoMatch)) throw e;
        this.pos = start;
      }
    }
    return this.fail();
  }

  /** Optional: the value, or undefined (position restored) when it does not match. */
  protected optional<T>(rule: () => T): T | undefined {
    const start = this.pos;
    try {
      return rule();
    } catch (e) {
      if (!(e instanceof NoMatch)) throw e;
      this.pos = start;
      return undefined;
    }
  }

  /** Packrat memo: a rule's result at a position is computed once (keeps nested parentheses linear). */
  protected memoize<T>(rule: string, body: () => T): T {
    const key = rule + '@' + this.pos;
    const hit = this.memo.get(key);
    if (hit instanceof NoMatch) throw hit;
    if (hit) {
      this.pos = hit.end;
      return hit.node as T;
    }
    try {
      const node = body();
      this.memo.set(key, { node, end: this.pos });
      return node;
    } catch (e) {
      if (e instanceof NoMatch) this.memo.set(key, e);
      throw e;
    }
  }

  /** Runs the start rule, requires end of input, and turns a mismatch into DynamoDB's syntax error. */
  protected run<T>(start: () => T): T {
    try {
      const node = start();
      if (this.peek().kind !== 'eof') this.fail();
      return node;
    } catch (e) {
      if (e instanceof NoMatch) throw this.syntaxError(this.farthest);
      throw e;
    }
  }

  protected syntaxError(at: number): EngineError {
    const index = Math.min(at, this.toks.length - 1);
    const tok = this.toks[index] as Token;
    const prev = index > 0 ? (this.toks[index - 1] as Token) : undefined;
    const next = tok.kind === 'eof' ? undefined : (this.toks[index + 1] as Token);
    const from = prev ? prev.start : tok.start;
    const to = next && next.kind !== 'eof' ? next.end : tok.end;
    return validation(`Invalid ${this.param}: Syntax error; token: "${tok.text}", near: "${this.text.slice(from, to)}"`);
  }
}
