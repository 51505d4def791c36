import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import type { Policy } from '@walt/domain';

/** Versioned: a journey keeps the version it started with. */
@Entity('policies')
export class PolicyEntity {
  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  body: Policy;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
