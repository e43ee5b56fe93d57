import type { RecordedRequest } from '../recorder/request-recorder';
import type { AccessPatternDeclaration, DeclaredRequest, Times } from './types';

function bounds(times: Times | undefined): { min: number; max: number } {
  if (times === undefined) return { min: 1, max: 1 };
  if (typeof times === 'number') return { min: times, max: times };
  return { min: times.min, max: times.max ?? Number.POSITIVE_INFINITY };
}

/** `#pk = :pk and begins_with(#sk1, :sk1)` (names resolved) → `pk = ? and begins_with(sk, ?)`. */
export function normalizeKeyCondition(expression: string): string {
  return expression
    .replace(/:[A-Za-z0-9_]+/g, '?')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

const READS = new Set(['GetItem', 'Query', 'BatchGetItem']);
const PARTIQL = new Set(['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction']);

/** A PartiQL request's statement kinds must be among the declared ones (`partiql`), when declared. */
function checkPartiql(name: string, declared: DeclaredRequest, r: RecordedRequest): string[] {
  if (!PARTIQL.has(r.operation)) return [];
  const where = `${name}: ${declared.operation} on ${declared.index}`;
  const problems: string[] = [];
  const kinds = [...new Set((r.partiql ?? []).map((s) => s.kind))];
  const undeclared = kinds.filter((k) => !(declared.partiql ?? []).includes(k));
  if (declared.partiql && undeclared.length) problems.push(`${where} sent ${undeclared.join(', ')} statement(s), declared ${declared.partiql.join(', ')}`);
  if (kinds.length && kinds.every((k) => k === 'SELECT')) {
    const wanted = declared.consistency ?? 'eventual';
    const got = r.consistentRead ? 'strong' : 'eventual';
    if (wanted !== 'either' && wanted !== got) problems.push(`${where} read with ${got} consistency, declared ${wanted}`);
  }
  return problems;
}

function checkFilterAndConsistency(name: string, declared: DeclaredRequest, r: RecordedRequest): string[] {
  const problems: string[] = [];
  const where = `${name}: ${declared.operation} on ${declared.index}`;
  const filter = r.filter ? normalizeKeyCondition(r.filter) : undefined;
  if (filter !== undefined && !(declared.filters ?? []).includes(filter)) {
    problems.push(`${where} sent filter "${filter}", ${declared.filters?.length ? `declared ${declared.filters.map((f) => `"${f}"`).join(' or ')}` : 'none declared'}`);
  }
  if (filter === undefined && declared.filters?.length) problems.push(`${where} sent no filter, declared ${declared.filters.map((f) => `"${f}"`).join(' or ')}`);
  if (READS.has(r.operation)) {
    const wanted = declared.consistency ?? 'eventual';
    const got = r.consistentRead ? 'strong' : 'eventual';
    if (wanted !== 'either' && wanted !== got) problems.push(`${where} read with ${got} consistency, declared ${wanted}`);
  }
  return problems;
}

function describe(r: RecordedRequest): string {
  const statements = r.partiql?.length ? ` [${r.partiql.map((s) => `${s.kind} ${s.access}`).join(', ')}]` : '';
  return `${r.operation} on ${r.index ?? 'table'}${r.keyCondition ? ` (${r.keyCondition})` : ''}${statements}`;
}

/**
 * Checks the requests ONE call made against the pattern's declaration: the same operations on the
 * same indexes, each as many times as declared, in order, allowed key-condition and filter shapes,
 * the declared read consistency, no Scan.
 * The call may follow the main sequence or one of the declared alternatives. Returns the
 * problems (of the main sequence, when none matches), empty when the call made exactly the
 * declared requests.
 */
export function verifyRequests(pattern: AccessPatternDeclaration, recorded: readonly RecordedRequest[]): string[] {
  const scans = [
    ...recorded.filter((r) => r.operation === 'Scan').map((r) => `${pattern.name} sent a Scan (${describe(r)}): never allowed`),
    // A PartiQL SELECT without = or IN on the partition key is a Scan DynamoDB runs and bills as one.
    ...recorded.flatMap((r) => (r.partiql ?? []).filter((s) => s.access === 'scan').map((s) => `${pattern.name} sent a PartiQL SELECT that scans ${s.index ?? s.table} (${s.reason ?? 'no key condition'}): never allowed`)),
  ];
  if (scans.length) return scans;
  const main = matchSequence(pattern.name, pattern.requests, recorded);
  if (main.length === 0) return main;
  for (const alternative of pattern.alternatives ?? []) {
    if (matchSequence(pattern.name, alternative.requests, recorded).length === 0) return [];
  }
  return main;
}

function matchSequence(name: string, requests: readonly DeclaredRequest[], recorded: readonly RecordedRequest[]): string[] {
  const problems: string[] = [];
  const pattern = { name };
  let i = 0;
  for (const declared of requests) {
    const { min, max } = bounds(declared.times);
    let n = 0;
    while (n < max && i < recorded.length) {
      const r = recorded[i] as RecordedRequest;
      if (r.operation !== declared.operation || (r.index ?? 'table') !== declared.index) break;
      if (declared.keyConditions && r.operation === 'Query') {
        const shape = normalizeKeyCondition(r.keyCondition ?? '');
        if (!declared.keyConditions.includes(shape)) {
          problems.push(
            `${pattern.name}: ${declared.operation} on ${declared.index} used key condition "${shape}", ` +
              `declared ${declared.keyConditions.map((k) => `"${k}"`).join(' or ')}`,
          );
        }
      }
      problems.push(...checkFilterAndConsistency(pattern.name, declared, r));
      problems.push(...checkPartiql(pattern.name, declared, r));
      n += 1;
      i += 1;
    }
    if (n < min) {
      const got = i < recorded.length ? describe(recorded[i] as RecordedRequest) : 'nothing more';
      problems.push(
        `${pattern.name}: expected ${min === max ? min : `at least ${min}`} ${declared.operation} on ${declared.index}` +
          `${declared.purpose ? ` (${declared.purpose})` : ''}, got ${n} then ${got}`,
      );
      return problems;
    }
  }
  if (i < recorded.length) {
    problems.push(`${pattern.name}: undeclared requests: ${recorded.slice(i).map(describe).join('; ')}`);
  }
  return problems;
}
