import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A customer's rating (1–5) and words about a product: one per customer and product. */
@Entity('product_review')
@Index(['productId', 'userId'], { unique: true })
export class ProductReview {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  @Column('varchar', { length: 36 })
  productId!: string;

  @Column('varchar', { length: 36 })
  userId!: string;

  /** Shown with the review (the author's username at the time of writing). */
  @Column('varchar', { length: 64 })
  username!: string;

  @Column('integer')
  rating!: number;

  @Column('text')
  text!: string;

  /** Hidden by an employee (moderation): left out of the page and the product's rating. */
  @Column('boolean', { default: false })
  hidden!: boolean;

  @Column('varchar', { length: 500, nullable: true })
  hiddenReason!: string | null;

  @Column('varchar', { length: 64, nullable: true })
  hiddenBy!: string | null;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date })
  updatedAt!: Date;
}
