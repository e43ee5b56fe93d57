/**
 * Accumulates the units of one request per table and index, and renders DynamoDB's
 * ConsumedCapacity (TOTAL: CapacityUnits only; INDEXES: plus Table / GlobalSecondaryIndexes /
 * LocalSecondaryIndexes). https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ConsumedCapacity.html
 */
export type ReturnConsumedCapacity = 'TOTAL' | 'INDEXES' | 'NONE' | undefined;

interface Slot {
  read: number;
  write: number;
}

export interface ConsumedCapacityWire {
  TableName: string;
  CapacityUnits: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
  Table?: { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>;
  LocalSecondaryIndexes?: Record<string, { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number }>;
}

export class CapacityMeter {
  private readonly tables = new Map<string, { table: Slot; gsi: Map<string, Slot>; lsi: Map<string, Slot> }>();

  private slotFor(table: string): { table: Slot; gsi: Map<string, Slot>; lsi: Map<string, Slot> } {
    let t = this.tables.get(table);
    if (!t) {
      t = { table: { read: 0, write: 0 }, gsi: new Map(), lsi: new Map() };
      this.tables.set(table, t);
    }
    return t;
  }

  /** index: undefined for the base table. */
  add(table: string, kind: 'read' | 'write', units: number, index?: { name: string; global: boolean }): void {
    const t = this.slotFor(table);
    let slot = t.table;
    if (index) {
      const m = index.global ? t.gsi : t.lsi;
      slot = m.get(index.name) ?? { read: 0, write: 0 };
      m.set(index.name, slot);
    }
    slot[kind] += units;
  }

  touch(table: string): void {
    this.slotFor(table);
  }

  render(table: string, mode: ReturnConsumedCapacity, withReadWrite = false): ConsumedCapacityWire | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    const t = this.slotFor(table);
    const units = (s: Slot) => s.read + s.write;
    const detail = (s: Slot) => {
      const o: { CapacityUnits: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number } = { CapacityUnits: units(s) };
      if (withReadWrite) {
        if (s.read) o.ReadCapacityUnits = s.read;
        if (s.write) o.WriteCapacityUnits = s.write;
      }
      return o;
    };
    let total = units(t.table);
    for (const s of t.gsi.values()) total += units(s);
    for (const s of t.lsi.values()) total += units(s);
    const out: ConsumedCapacityWire = { TableName: table, CapacityUnits: total };
    if (withReadWrite) {
      let r = t.table.read;
      let w = t.table.write;
      for (const s of [...t.gsi.values(), ...t.lsi.values()]) {
        r += s.read;
        w += s.write;
      }
      if (r) out.ReadCapacityUnits = r;
      if (w) out.WriteCapacityUnits = w;
    }
    if (mode === 'INDEXES') {
      out.Table = detail(t.table);
      if (t.gsi.size) out.GlobalSecondaryIndexes = Object.fromEntries([...t.gsi].map(([n, s]) => [n, detail(s)]));
      if (t.lsi.size) out.LocalSecondaryIndexes = Object.fromEntries([...t.lsi].map(([n, s]) => [n, detail(s)]));
    }
    return out;
  }

  renderAll(mode: ReturnConsumedCapacity, withReadWrite = false): ConsumedCapacityWire[] | undefined {
    if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
    return [...this.tables.keys()].map((t) => this.render(t, mode, withReadWrite) as ConsumedCapacityWire);
  }
}
