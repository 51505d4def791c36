import { Brackets, DataSource, EntityManager, In } from 'typeorm';
import type { Partner, PartnerType } from '@walt/domain';
import { PartnerEntity } from '@walt/persistence';
import { placeOfCommune } from '@walt/territory';

/** A partner as the directory stores it: the domain Partner plus the département of its commune. */
export type PartnerRecord = Partner & { departement: string };

export interface PartnerFilter {
  type?: PartnerType;
  /** Département of the structure's commune (not of the zones it serves). */
  departement?: string;
  /** Part of the name or of the id, case-insensitive. */
  q?: string;
  page?: number;
  pageSize?: number;
}

/** What a PATCH may change: everything but the id; `referralExpiresAfter: null` removes the override. */
export type PartnerChanges = Partial<Omit<Partner, 'id' | 'referralExpiresAfter'>> & { referralExpiresAfter?: string | null };

/** Each statement stays well under PostgreSQL's 65,535 bind parameters (13 columns per row). */
const IMPORT_CHUNK = 1000;

/** The partner directory (table `partners`); the only place that maps rows to domain partners. */
export class PartnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: PartnerFilter = {}): Promise<{ items: PartnerRecord[]; total: number }> {
    const page = filter.page ?? 1;
    const pageSize = filter.pageSize ?? 50;
    const query = this.dataSource.getRepository(PartnerEntity).createQueryBuilder('p').orderBy('p.id');
    if (filter.type) query.andWhere('p.type = :type', { type: filter.type });
    if (filter.departement) query.andWhere('p.departement = :departement', { departement: filter.departement });
    if (filter.q?.trim()) {
      const like = `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query.andWhere(new Brackets((w) => w.where('p.name ILIKE :like', { like }).orWhere('p.id ILIKE :like', { like })));
    }
    const [rows, total] = await query
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: rows.map(toRecord), total };
  }

  async get(id: string): Promise<PartnerRecord | null> {
    const row = await this.dataSource.getRepository(PartnerEntity).findOneBy({ id });
    return row && toRecord(row);
  }

  /** False when a partner with this id already exists (nothing is written then). */
  async create(partner: Partner): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(PartnerEntity)
      .values(toEntity(partner))
      .orIgnore()
      .returning('id')
      .execute();
    return result.raw.length === 1;
  }

  /**
   * Merges `changes` into the stored partner under a row lock, so two admins editing different
   * fields both keep their change. `check` sees the merged partner and may throw to abort.
   * Null when the partner does not exist.
   */
  async patch(id: string, changes: PartnerChanges, check?: (merged: Partner) => void): Promise<PartnerRecord | null> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(PartnerEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) return null;
      const { referralExpiresAfter, ...rest } = changes;
      const merged: Partner = { ...toPartner(row), ...rest, id };
      if (referralExpiresAfter === null) delete merged.referralExpiresAfter;
      else if (referralExpiresAfter !== undefined) merged.referralExpiresAfter = referralExpiresAfter;
      check?.(merged);
      const { id: _, ...columns } = toEntity(merged);
      await manager.getRepository(PartnerEntity).update({ id }, columns); // also sets updated_at
      return toRecord({ ...row, ...columns });
    });
  }

  /**
   * The CSV import: creates or updates every partner of the file in one transaction, so a
   * failure leaves the directory as it was. Partners absent from the file are kept (referrals
   * point to them).
   */
  async replaceFromImport(partners: readonly Partner[]): Promise<{ created: number; updated: number }> {
    return this.dataSource.transaction(async (manager) => {
      let updated = 0;
      for (let i = 0; i < partners.length; i += IMPORT_CHUNK) {
        const chunk = partners.slice(i, i + IMPORT_CHUNK);
        updated += await manager.getRepository(PartnerEntity).countBy({ id: In(chunk.map((p) => p.id)) });
        await upsert(manager, chunk);
      }
      return { created: partners.length - updated, updated };
    });
  }

  async count(): Promise<number> {
    return this.dataSource.getRepository(PartnerEntity).count();
  }

  /** The whole directory for the matching engine. */
  async all(): Promise<Partner[]> {
    const rows = await this.dataSource.getRepository(PartnerEntity).find({ order: { id: 'ASC' } });
    return rows.map(toPartner);
  }

  /**
   * Changes whenever the directory does (a trigger bumps it on every write to partners, from
   * any process): lets the matcher's cache know it is stale with one single-row read.
   */
  async version(): Promise<string> {
    const [row] = await this.dataSource.query(`SELECT version::text AS version FROM partner_directory_version`);
    return row.version;
  }
}

async function upsert(manager: EntityManager, partners: readonly Partner[]): Promise<void> {
  const columns = [
    'type',
    'name',
    'commune_code',
    'departement',
    'zones',
    'min_age',
    'max_age',
    'diploma_levels',
    'wishes',
    'monthly_capacity',
    'active',
    'contact_email',
    'referral_expires_after',
    'updated_at',
  ];
  await manager
    .createQueryBuilder()
    .insert()
    .into(PartnerEntity)
    .values(partners.map((p) => ({ ...toEntity(p), updatedAt: () => 'now()' })))
    .orUpdate(columns, ['id'])
    .execute();
}

function toPartner(row: PartnerEntity): Partner {
  const partner: Partner = {
    id: row.id,
    type: row.type,
    name: row.name,
    communeCode: row.communeCode,
    zones: row.zones.map((z) => ({ kind: z.kind, code: z.code })),
    minAge: row.minAge,
    maxAge: row.maxAge,
    diplomaLevels: [...row.diplomaLevels],
    wishes: [...row.wishes],
    monthlyCapacity: row.monthlyCapacity,
    active: row.active,
    contactEmail: row.contactEmail,
  };
  if (row.referralExpiresAfter) partner.referralExpiresAfter = row.referralExpiresAfter;
  return partner;
}

function toRecord(row: PartnerEntity): PartnerRecord {
  return { ...toPartner(row), departement: row.departement };
}

/** The columns of a partner; created_at and updated_at are left to the database. */
function toEntity(partner: Partner): Omit<PartnerEntity, 'createdAt' | 'updatedAt'> {
  return {
    id: partner.id,
    type: partner.type,
    name: partner.name,
    communeCode: partner.communeCode,
    departement: departementOf(partner.communeCode),
    zones: partner.zones.map((z) => ({ kind: z.kind, code: z.code })),
    minAge: partner.minAge,
    maxAge: partner.maxAge,
    diplomaLevels: [...partner.diplomaLevels],
    wishes: [...partner.wishes],
    monthlyCapacity: partner.monthlyCapacity,
    active: partner.active,
    contactEmail: partner.contactEmail,
    referralExpiresAfter: partner.referralExpiresAfter ?? null,
  };
}

/** Partners are validated against the geographic code first, so an unknown commune is a bug. */
function departementOf(communeCode: string): string {
  const place = placeOfCommune(communeCode);
  if (!place) throw new Error(`Unknown commune ${communeCode}: validate partners before saving them`);
  return place.departement;
}
