import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { DiplomaLevel, PartnerType, Wish } from '@walt/domain';

export interface ZoneColumn {
  kind: 'COMMUNE' | 'EPCI' | 'DEPARTEMENT' | 'REGION' | 'FRANCE';
  code: string;
}

@Entity('partners')
export class PartnerEntity {
  @PrimaryColumn('text')
  id: string;

  @Column({ type: 'text' })
  type: PartnerType;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'commune_code', type: 'text' })
  communeCode: string;

  @Column({ type: 'text' })
  departement: string;

  @Column({ type: 'jsonb' })
  zones: ZoneColumn[];

  @Column({ name: 'min_age', type: 'int' })
  minAge: number;

  @Column({ name: 'max_age', type: 'int' })
  maxAge: number;

  @Column({ name: 'diploma_levels', type: 'text', array: true })
  diplomaLevels: DiplomaLevel[];

  @Column({ type: 'text', array: true })
  wishes: Wish[];

  @Column({ name: 'monthly_capacity', type: 'int' })
  monthlyCapacity: number;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ name: 'contact_email', type: 'text' })
  contactEmail: string;

  /** Optional SLA override of the policy's referralExpiresAfter (ISO 8601). */
  @Column({ name: 'referral_expires_after', type: 'text', nullable: true })
  referralExpiresAfter: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
