import { createHash } from 'node:crypto';
/**
 * The demo store: its people and a few weeks of history, agreed on by the seeds of users,
 * products and orders (each seeds its own part, in its own database). Every store that is not in
 * production gets the first employee and the first customer (the test suites sign in with them);
 * a development store also gets everyone else and the history, so that order history, the audit
 * log and "last changed by" show something on the first start. Production never seeds.
 */

export interface DemoPerson {
  /** Fixed, so the orders seed can name the customer of each order without asking users. */
  id: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  email: string;
  role: 'customer' | 'employee';
  /** When the account was opened, in days before the store's first start. */
  joinedDaysAgo: number;
}

const person = (
  n: number,
  username: string,
  password: string,
  firstName: string,
  lastName: string,
  role: DemoPerson['role'],
  joinedDaysAgo: number,
): DemoPerson => ({
  id: `de300000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  username,
  password,
  firstName,
  lastName,
  email: `${username}@microfoods.example`,
  role,
  joinedDaysAgo,
});

/** Three employees and seven customers; the first two are in every non-production store. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  person(1, 'manager', 'FreshBasket-2026', 'Morgan', 'Green', 'employee', 90),
  person(2, 'customer', 'HappyCart-2026', 'Casey', 'Brown', 'customer', 60),
  person(3, 'priya.shah', 'Shelf-Stacker-7', 'Priya', 'Shah', 'employee', 80),
  person(4, 'tom.okafor', 'Night-Shift-42', 'Tom', 'Okafor', 'employee', 45),
  person(5, 'ada', 'Analytical-Engine-1843', 'Ada', 'Lovelace', 'customer', 58),
  person(6, 'lena.fischer', 'Sunny-Orchard-9', 'Lena', 'Fischer', 'customer', 50),
  person(7, 'omar.haddad', 'Olive-Grove-21', 'Omar', 'Haddad', 'customer', 44),
  person(8, 'sofia.rossi', 'Basil-Tomato-5', 'Sofia', 'Rossi', 'customer', 40),
  person(9, 'jamal.wright', 'Morning-Toast-8', 'Jamal', 'Wright', 'customer', 37),
  person(10, 'mei.chen', 'Green-Tea-Leaf-3', 'Mei', 'Chen', 'customer', 36),
];

/** The people every non-production store has, the ones the README and the tests use. */
export const DEMO_BASE_PEOPLE = DEMO_PEOPLE.slice(0, 2);

/** A moment before the store's first start: `daysAgo` days back, at `time` (HH:MM, UTC). */
export function demoMoment(now: Date, daysAgo: number, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  const moment = new Date(now.getTime() - daysAgo * 86_400_000);
  moment.setUTCHours(hours ?? 12, minutes ?? 0, 0, 0);
  // Today's times later than now would be in the future: keep them in the past.
  return moment.getTime() < now.getTime() ? moment : new Date(now.getTime() - 60_000);
}

export interface DemoOrder {
  id: string;
  username: string;
  daysAgo: number;
  time: string;
  /** Product names of the demo catalogue and quantities. */
  lines: ReadonlyArray<readonly [string, number]>;
  /** Cancelled by the customer this many hours after placing it. */
  cancelledAfterHours?: number;
}

const order = (
  n: number,
  username: string,
  daysAgo: number,
  time: string,
  lines: DemoOrder['lines'],
  cancelledAfterHours?: number,
): DemoOrder => ({
  id: `de300000-0000-4000-9000-${String(n).padStart(12, '0')}`,
  username,
  daysAgo,
  time,
  lines,
  cancelledAfterHours,
});

/** Thirty orders over the last five weeks, three of them cancelled. */
export const DEMO_ORDERS: readonly DemoOrder[] = [
  order(1, 'ada', 34, '09:12', [
    ['Whole milk 1 l', 2],
    ['Sourdough loaf', 1],
    ['Free-range eggs (12)', 1],
  ]),
  order(2, 'customer', 33, '18:40', [
    ['Spaghetti 500 g', 2],
    ['Chopped tomatoes 400 g', 3],
    ['Aged cheddar 250 g', 1],
  ]),
  order(3, 'lena.fischer', 32, '12:05', [
    ['Gala apples 1 kg', 1],
    ['Bananas (bunch)', 1],
    ['Greek yogurt 500 g', 1],
  ]),
  order(4, 'omar.haddad', 30, '19:22', [
    ['Extra virgin olive oil 500 ml', 1],
    ['Chickpeas 400 g', 4],
    ['Lemons (4)', 1],
  ]),
  order(5, 'sofia.rossi', 29, '10:47', [
    ['Vine tomatoes 500 g', 2],
    ['Spaghetti 500 g', 1],
    ['Salted butter 250 g', 1],
  ]),
  order(6, 'jamal.wright', 28, '08:15', [
    ['Ground coffee 250 g', 1],
    ['Butter croissants (4)', 1],
    ['Orange juice 1 l', 2],
  ]),
  order(
    7,
    'mei.chen',
    27,
    '17:30',
    [
      ['Green tea (40 bags)', 2],
      ['Vegetable dumplings (20)', 1],
    ],
    2,
  ),
  order(8, 'ada', 26, '20:02', [
    ['Dark chocolate 70% 100 g', 2],
    ['Rolled oats 1 kg', 1],
  ]),
  order(9, 'customer', 25, '13:16', [
    ['Margherita pizza', 2],
    ['Cola 6 x 330 ml', 1],
    ['Salted crisps 150 g', 2],
  ]),
  order(10, 'lena.fischer', 23, '09:55', [
    ['Oat drink 1 l', 3],
    ['Baby spinach 200 g', 1],
    ['Avocados (2)', 1],
  ]),
  order(11, 'omar.haddad', 22, '18:08', [
    ['Chicken breast 500 g', 1],
    ['Basmati rice 1 kg', 1],
    ['Red onions 1 kg', 1],
  ]),
  order(12, 'sofia.rossi', 21, '11:34', [
    ['Crème fraîche 200 ml', 1],
    ['Smoked salmon 200 g', 1],
    ['Bagels (5)', 1],
  ]),
  order(13, 'jamal.wright', 20, '07:50', [
    ['Semi-skimmed milk 1 l', 2],
    ['Wholemeal bread', 1],
    ['Peanut butter 340 g', 1],
  ]),
  order(14, 'mei.chen', 19, '16:21', [
    ['Frozen peas 1 kg', 1],
    ['Fish fingers (10)', 1],
    ['Carrots 1 kg', 1],
  ]),
  order(
    15,
    'customer',
    18,
    '19:45',
    [
      ['Vanilla ice cream 1 l', 1],
      ['Mixed berries 500 g', 1],
    ],
    5,
  ),
  order(16, 'ada', 17, '10:10', [
    ['Wildflower honey 350 g', 1],
    ['Greek yogurt 500 g', 2],
    ['Rolled oats 1 kg', 1],
  ]),
  order(17, 'lena.fischer', 15, '14:38', [
    ['Sparkling water 6 x 1.5 l', 1],
    ['Hummus 200 g', 2],
    ['Salted almonds 200 g', 1],
  ]),
  order(18, 'omar.haddad', 14, '18:52', [
    ['Beef mince 500 g', 1],
    ['Chopped tomatoes 400 g', 2],
    ['Spaghetti 500 g', 1],
  ]),
  order(19, 'sofia.rossi', 13, '09:03', [
    ['Cinnamon buns (2)', 2],
    ['Ground coffee 250 g', 1],
  ]),
  order(20, 'jamal.wright', 12, '12:27', [
    ['Pork sausages (6)', 1],
    ['Free-range eggs (12)', 1],
    ['Sourdough loaf', 1],
  ]),
  order(21, 'mei.chen', 11, '20:15', [
    ['Popcorn 100 g', 2],
    ['Apple juice 1 l', 1],
    ['Chocolate chip cookies', 1],
  ]),
  order(22, 'customer', 10, '11:11', [
    ['Whole milk 1 l', 2],
    ['Bananas (bunch)', 1],
    ['Wholemeal bread', 1],
  ]),
  order(
    23,
    'ada',
    9,
    '17:42',
    [
      ['Aged cheddar 250 g', 1],
      ['Bagels (5)', 1],
    ],
    1,
  ),
  order(24, 'lena.fischer', 7, '08:58', [
    ['Oat drink 1 l', 2],
    ['Gala apples 1 kg', 1],
    ['Dark chocolate 70% 100 g', 1],
  ]),
  order(25, 'omar.haddad', 6, '13:30', [
    ['Avocados (2)', 2],
    ['Lemons (4)', 1],
    ['Extra virgin olive oil 500 ml', 1],
  ]),
  order(26, 'sofia.rossi', 5, '18:18', [
    ['Margherita pizza', 1],
    ['Vine tomatoes 500 g', 1],
  ]),
  order(27, 'jamal.wright', 4, '07:35', [
    ['Ground coffee 250 g', 1],
    ['Semi-skimmed milk 1 l', 1],
    ['Butter croissants (4)', 1],
  ]),
  order(28, 'mei.chen', 3, '15:05', [
    ['Green tea (40 bags)', 1],
    ['Basmati rice 1 kg', 1],
    ['Frozen peas 1 kg', 1],
  ]),
  order(29, 'customer', 2, '10:20', [
    ['Greek yogurt 500 g', 1],
    ['Mixed berries 500 g', 1],
    ['Rolled oats 1 kg', 1],
  ]),
  order(30, 'ada', 1, '09:40', [
    ['Orange juice 1 l', 1],
    ['Sourdough loaf', 1],
    ['Salted butter 250 g', 1],
  ]),
];

export interface DemoProductEdit {
  username: string;
  daysAgo: number;
  time: string;
  product: string;
  changes: { priceCents?: number; stock?: number; description?: string };
}

/** Employees' changes to the catalogue over the same weeks: prices, restocks, a description. */
export const DEMO_PRODUCT_EDITS: readonly DemoProductEdit[] = [
  {
    username: 'manager',
    daysAgo: 31,
    time: '08:05',
    product: 'Extra virgin olive oil 500 ml',
    changes: { priceCents: 749 },
  },
  {
    username: 'priya.shah',
    daysAgo: 24,
    time: '07:40',
    product: 'Bananas (bunch)',
    changes: { stock: 140 },
  },
  {
    username: 'tom.okafor',
    daysAgo: 16,
    time: '22:10',
    product: 'Ground coffee 250 g',
    changes: { priceCents: 529 },
  },
  {
    username: 'priya.shah',
    daysAgo: 8,
    time: '09:25',
    product: 'Greek yogurt 500 g',
    changes: { description: 'Thick strained yogurt, 10% fat. Made by a dairy down the road.' },
  },
  {
    username: 'manager',
    daysAgo: 6,
    time: '08:30',
    product: 'Extra virgin olive oil 500 ml',
    changes: { priceCents: 699 },
  },
  {
    username: 'tom.okafor',
    daysAgo: 2,
    time: '21:45',
    product: 'Margherita pizza',
    changes: { stock: 45, priceCents: 329 },
  },
];

/**
 * The id a demo product gets: a name-based UUID (version 5 layout, SHA-1 of a fixed namespace and
 * the name), the same in every demo store, so documented examples (an order of whole milk) work
 * as they are written.
 */
export function demoProductId(name: string): string {
  const hash = createHash('sha1').update(`micro-foods-market demo product\u0000${name}`).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The product the API document's order example buys: it is in every demo catalogue. */
export const EXAMPLE_ORDER_PRODUCT = 'Whole milk 1 l';
