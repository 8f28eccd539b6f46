import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('product')
export class Product {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 100 })
  name!: string;

  /** Trimmed, lower-cased name: unique among products that are not archived. */
  @Column('varchar', { length: 100 })
  nameKey!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('varchar', { length: 50 })
  category!: string;

  @Column('integer')
  priceCents!: number;

  @Column('integer')
  stock!: number;

  @Column('boolean', { default: false })
  archived!: boolean;

  /** Bumped by every edit; a PATCH naming an older version gets 409 (optimistic concurrency). */
  @Column('integer', { default: 1 })
  version!: number;

  /** Grows with every change, stock moves included: read models keep the highest they saw. */
  @Column('integer', { default: 1 })
  revision!: number;

  /** Average of the visible reviews' ratings (two decimals); null without reviews. */
  @Column('float', { nullable: true })
  ratingAverage!: number | null;

  @Column('integer', { default: 0 })
  ratingCount!: number;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;
}
