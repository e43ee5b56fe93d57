import { CapacityBudget } from '../../src/toolkit';

/**
 * The migration's --max-wcu / --max-rcu bucket, with workers racing for it as a run's segments do.
 * The bound asserted is an upper one (a loaded machine only spends less), so it holds on any machine.
 */
describe('CapacityBudget', () => {
  it('concurrent workers never reserve more than the burst plus the rate so far plus one request', async () => {
    const rate = 1000;
    const budget = new CapacityBudget(rate);
    const started = Date.now();
    const units = 50;
    let reserved = 0;
    let worstExcess = -Infinity;
    const worker = async () => {
      for (let i = 0; i < 12; i += 1) {
        await budget.take(units);
        reserved += units;
        // Date.now() is in whole ms: allow one ms of rate for the clock's rounding.
        worstExcess = Math.max(worstExcess, reserved - (budget.burst + (rate * (Date.now() - started + 1)) / 1000 + units));
        await new Promise((r) => setImmediate(r));
        budget.charge(units, units);
      }
    };
    await Promise.all([...Array(8).keys()].map(worker));
    expect(reserved).toBe(8 * 12 * units);
    expect(budget.total).toBe(8 * 12 * units);
    expect(worstExcess).toBeLessThanOrEqual(0);
  });

  it('counts what was consumed, not what was reserved', async () => {
    const budget = new CapacityBudget(100);
    await budget.take(20);
    budget.charge(7, 20); // the request consumed less than its estimate
    await budget.take(20);
    budget.charge(0, 20); // refused (throttled): nothing consumed
    expect(budget.total).toBe(7);
  });

  it('refuses a budget that is not a positive finite number', () => {
    for (const bad of [0, -5, Number.NaN, Infinity]) expect(() => new CapacityBudget(bad)).toThrow(RangeError);
  });

  it('refuses a NaN, infinite or negative amount, leaving the balance usable', async () => {
    const budget = new CapacityBudget(100);
    for (const bad of [Number.NaN, Infinity, -1]) {
      await expect(budget.take(bad)).rejects.toThrow(RangeError);
      expect(() => budget.charge(bad)).toThrow(RangeError);
      expect(() => budget.charge(1, bad)).toThrow(RangeError);
    }
    await budget.take(5);
    budget.charge(5, 5);
    expect(budget.total).toBe(5);
  });
});
