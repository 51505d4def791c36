import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Barrier, DiplomaLevel, MessageChannel, Situation, Wish } from '@walt/domain';

export interface Consent {
  dataProcessing: boolean;
  shareWithPartners: boolean;
  channels: MessageChannel[];
}

/** The young person: the only table with identity. Workflows never see these columns. */
@Entity('youths')
export class YouthEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'first_name', type: 'text', nullable: true })
  firstName: string | null;

  @Column({ name: 'last_name', type: 'text', nullable: true })
  lastName: string | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate: string | null;

  /** Lower-cased, so the same address is the same person. */
  @Column({ type: 'text', nullable: true })
  email: string | null;

  /** E.164, so `06 12 34 56 78` and `+33612345678` are the same person. */
  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ name: 'postal_code', type: 'text' })
  postalCode: string;

  @Column({ name: 'commune_code', type: 'text' })
  communeCode: string;

  @Column({ name: 'diploma_level', type: 'text' })
  diplomaLevel: DiplomaLevel;

  @Column({ type: 'text' })
  situation: Situation;

  @Column({ type: 'text', array: true })
  barriers: Barrier[];

  @Column({ type: 'text', array: true })
  wishes: Wish[];

  @Column({ type: 'jsonb' })
  consent: Consent;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt: Date | null;
}
