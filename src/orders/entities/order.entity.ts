import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PricedLine } from '../pricing';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'FAILED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

@Entity('customer_order')
export class Order {
  /** Also the stock reservation id, so a retried reservation is the same reservation. */
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  userId!: string;

  @Column('varchar', { length: 64 })
  username!: string;

  @Column('varchar', { length: 16 })
  status!: OrderStatus;

  /** Why a FAILED order failed: { code, message, details }. */
  @Column('simple-json', { nullable: true })
  failure!: { code: string; message: string; details?: object } | null;

  /** The lines as asked for (productId, quantity), kept until they are priced. */
  @Column('simple-json')
  requested!: Array<{ productId: string; quantity: number }>;

  /** Priced lines; null until products answered. */
  @Column('simple-json', { nullable: true })
  lines!: PricedLine[] | null;

  @Column('integer', { nullable: true })
  subtotalCents!: number | null;

  @Column('integer', { nullable: true })
  taxCents!: number | null;

  @Column('integer', { nullable: true })
  totalCents!: number | null;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;
}
