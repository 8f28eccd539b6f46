import { DEMO_ORDERS, DEMO_PEOPLE, DEMO_PRODUCT_EDITS } from '@mfm/demo/demo-store';
import { DEMO_CATALOGUE } from '@mfm/demo/demo-catalogue';

describe('the demo store', () => {
  const names = new Set(DEMO_CATALOGUE.map(([name]) => name));

  it('orders and changes only products of the demo catalogue', () => {
    const ordered = DEMO_ORDERS.flatMap((order) => order.lines.map(([name]) => name));
    const edited = DEMO_PRODUCT_EDITS.map((edit) => edit.product);
    expect([...ordered, ...edited].filter((name) => !names.has(name))).toEqual([]);
  });

  it('has ten people, orders by its customers and changes by its employees, over past weeks', () => {
    expect(DEMO_PEOPLE).toHaveLength(10);
    expect(new Set(DEMO_PEOPLE.map((p) => p.id)).size).toBe(10);
    const role = (username: string) => DEMO_PEOPLE.find((p) => p.username === username)?.role;
    expect(DEMO_ORDERS).toHaveLength(30);
    expect(new Set(DEMO_ORDERS.map((o) => o.id)).size).toBe(30);
    expect(DEMO_ORDERS.filter((o) => role(o.username) !== 'customer')).toEqual([]);
    expect(DEMO_PRODUCT_EDITS.filter((e) => role(e.username) !== 'employee')).toEqual([]);
    expect(DEMO_ORDERS.every((o) => o.daysAgo >= 1 && o.daysAgo <= 35)).toBe(true);
  });
});
