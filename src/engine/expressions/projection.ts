/**
 * Projection expressions: a comma-separated list of document paths.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 * Messages and result shape as recorded by dynalite (Apache-2.0: db/projectionParser.pegjs, db/index.js mapPaths).
 */
import { validation } from '../errors';
import type { AttributeValue, Item } from '../types';
import { setOwn } from '../values/validate';
import type { RawElem, RawPath } from './condition';
import { ParserBase } from './lexer';
import { checkExpressionLength } from './limits';
import { getPath, pathClash, pathStr, type Path } from './paths';
import { isReserved } from './reserved';
import type { ExpressionScope } from './scope';
import { cloneValue } from './update';

class ProjectionParser extends ParserBase {
  parse(): RawPath[] {
    return this.run(() => {
      const out = [this.path()];
      while (this.isPunct(',')) {
        this.next();
        out.push(this.path());
      }
      return out;
    });
  }

  private identifier(): RawElem {
    const t = this.peek();
    if (t.kind === 'name') {
      this.next();
      return { kind: 'name', ref: t.text };
    }
    if (t.kind !== 'ident') this.fail();
    this.next();
    return { kind: 'ident', name: t.text };
  }

  private path(): RawPath {
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
  }
}

export function parseProjectionPaths(text: string, scope: ExpressionScope): Path[] {
  checkExpressionLength(text, 'ProjectionExpression');
  const raw = new ProjectionParser(text, 'ProjectionExpression').parse();
  const errors: Record<string, string> = {};
  const set = (kind: string, message: string): void => {
    if (errors[kind] === undefined) errors[kind] = message;
  };
  const paths = raw.map((r) =>
    r.elems.map((e): string | number => {
      if (e.kind === 'index') return e.index;
      if (e.kind === 'ident') {
        if (isReserved(e.name)) set('reserved', 'Attribute name is a reserved keyword; reserved keyword: ' + e.name);
        return e.name;
      }
      if (errors.attrNameVal !== undefined) return e.ref;
      const name = scope.resolveName(e.ref);
      if (name === undefined) set('attrNameVal', 'An expression attribute name used in the document path is not defined; attribute name: ' + e.ref);
      return name ?? e.ref;
    }),
  );
  const seen: Path[] = [];
  for (const p of paths) {
    if (errors.pathOverlap !== undefined) break;
    for (const q of seen) {
      const clash = pathClash(q, p);
      const detail = '; must remove or rewrite one of these paths; path one: ' + pathStr(q) + ', path two: ' + pathStr(p);
      if (clash === 'conflict') set('pathConflict', 'Two document paths conflict with each other' + detail);
      if (clash === 'overlap') {
        set('pathOverlap', 'Two document paths overlap with each other' + detail);
        break;
      }
    }
    seen.push(p);
  }
  for (const kind of ['reserved', 'attrNameVal', 'pathOverlap', 'pathConflict']) {
    if (errors[kind] !== undefined) throw validation('Invalid ProjectionExpression: ' + errors[kind]);
  }
  return paths;
}

/**
 * The item reduced to the paths, shaped as DynamoDB returns it: maps keep the projected keys, projected
 * list elements are kept in index order and compacted (a[2] alone comes back as a one-element list).
 */
export function projectItem(item: Item, paths: Path[]): Item {
  const out: Item = {};
  const root: AttributeValue = { M: out };
  const lists = new Set<AttributeValue[]>();
  for (const path of paths) {
    const found = getPath(item, path);
    if (found === undefined) continue;
    let current: AttributeValue = root;
    for (let i = 0; i < path.length; i++) {
      const step = path[i] as string | number;
      const lastStep = i === path.length - 1;
      const nextStep = path[i + 1];
      const fresh = (): AttributeValue => (lastStep ? cloneValue(found) : typeof nextStep === 'number' ? { L: [] } : { M: {} });
      if (typeof step === 'number') {
        if (!('L' in current)) break;
        const list: AttributeValue[] = current.L;
        lists.add(list);
        const child: AttributeValue = list[step] ?? fresh();
        list[step] = child;
        current = child;
      } else {
        if (!('M' in current)) break;
        const map: Record<string, AttributeValue> = current.M;
        const child: AttributeValue = (Object.prototype.hasOwnProperty.call(map, step) ? map[step] : undefined) ?? fresh();
        setOwn(map, step, child);
        current = child;
      }
    }
  }
  for (const list of lists) {
    const compact = list.filter((v) => v !== undefined);
    list.length = 0;
    list.push(...compact);
  }
  return out;
}
