import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One group of words a search treats as the same (migration SearchSynonyms). */
@Entity('search_synonym')
export class SearchSynonym {
  @PrimaryColumn('varchar', { length: 36 })
  id!: string;

  /** The group's folded words as a JSON array, in the order the employee gave them. */
  @Column('text')
  terms!: string;

  /** Grows with each edit: an edit names the version it was made from. */
  @Column('integer', { default: 1 })
  version!: number;

  @Column('varchar', { length: 30 })
  createdAt!: string;

  @Column('varchar', { length: 30 })
  updatedAt!: string;
}
