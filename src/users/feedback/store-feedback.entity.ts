import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { sealed } from '../personal-data';

/** A message from the store's contact form: who wrote it stays sealed at rest. */
@Entity('store_feedback')
export class StoreFeedback {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  /** The signed-in shopper who wrote it; null for a visitor. */
  @Column('varchar', { length: 36, nullable: true })
  userId!: string | null;

  @Column('text', { transformer: sealed('store_feedback.name') })
  name!: string;

  @Column('text', { transformer: sealed('store_feedback.email') })
  email!: string;

  @Column('varchar', { length: 16 })
  topic!: string;

  @Column('text', { transformer: sealed('store_feedback.message') })
  message!: string;

  @Index()
  @CreateDateColumn()
  createdAt!: Date;
}
