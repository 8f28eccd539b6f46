import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One line of a stock reservation: what it took, so a release gives back exactly that. */
@Entity('stock_reservation')
export class StockReservation {
  @PrimaryColumn('varchar', { length: 64 })
  reservationId!: string;

  @PrimaryColumn('varchar', { length: 36 })
  productId!: string;

  @Column('integer')
  quantity!: number;

  @Column({ type: Date })
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  releasedAt!: Date | null;
}
