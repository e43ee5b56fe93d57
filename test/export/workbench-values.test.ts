import fc from 'fast-check';
import { fromDynamoJson, readWorkbenchModel, toDynamoJson, validateWorkbenchModel, workbenchModel, modelTable, type Model, type WorkbenchModel } from '../../src/toolkit';
import { ticketingModel } from '../fixtures/ticketing-model';

// DynamoDB's attribute types: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
// (sets are non-empty, of unique members; there is no negative zero, NaN or Infinity).
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n));
const binary = fc.uint8Array({ maxLength: 8 });
const uniqueBy = <T>(arb: fc.Arbitrary<T>, key: (v: T) => string) => fc.uniqueArray(arb, { minLength: 1, maxLength: 5, selector: key }).map((a) => new Set(a));
const keyName = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', ''));

const { value: attributeValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    number,
    fc.boolean(),
    fc.constant(null),
    binary,
    uniqueBy(fc.string(), (s) => s),
    uniqueBy(number, String),
    uniqueBy(binary, (b) => Buffer.from(b).toString('base64')),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(keyName, tie('value')), { maxLength: 4 }).map((entries) => Object.fromEntries(entries)),
  ),
}));

describe('Workbench values: every attribute type round-trips', () => {
  it('binary sets are BS of base64, not SS of byte lists', () => {
    expect(toDynamoJson(new Set([new Uint8Array([104, 105]), new Uint8Array([0, 255])]))).toEqual({ BS: ['aGk=', 'AP8='] });
    expect(toDynamoJson(new Uint8Array([0, 255]))).toEqual({ B: 'AP8=' });
  });

  it('S, N, B, BOOL, NULL, SS, NS, BS, L, M, nested: export, validate, read back, convert back gives the item', () => {
    const model = ticketingModel as unknown as Model;
    const definition = modelTable(model, 'values-table');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), attributeValue), { minLength: 1, maxLength: 6 }), (attributes) => {
        // An item of no entity (it lands in the table's TableData), keys first.
        const item: Record<string, unknown> = Object.fromEntries([['PK', 'p'], ['SK', 's'], ...attributes.filter(([k]) => k !== 'PK' && k !== 'SK' && k !== '__edb_e__')]);
        const text = JSON.stringify(workbenchModel(model, definition, { items: [item], date: new Date(0) }));
        const parsed = JSON.parse(text) as WorkbenchModel;
        expect(validateWorkbenchModel(parsed)).toEqual([]);
        expect(readWorkbenchModel(parsed).tables[0]?.items).toBe(1);
        const stored = parsed.DataModel[0]?.TableData?.[0] as Record<string, Parameters<typeof fromDynamoJson>[0]>;
        const back = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, fromDynamoJson(v)]));
        expect(back).toEqual(item);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses what DynamoDB cannot store, naming where', () => {
    expect(() => toDynamoJson({ a: [new Set()] })).toThrow('(value).a[0]: an empty set');
    expect(() => toDynamoJson(new Set(['a', 1]))).toThrow('a set must hold only strings, only numbers or only binaries');
    expect(() => toDynamoJson({ n: Infinity })).toThrow('(value).n: Infinity is not a number DynamoDB can store');
  });
});
