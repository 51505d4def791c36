import { HttpStatus, Injectable } from '@nestjs/common';
import { PARTNER_TYPE_DEFAULTS, type Partner, type PartnerType } from '@walt/domain';
import { PartnersRepository, type PartnerChanges, type PartnerRecord } from '@walt/directory';
import { parsePartnersCsv, validatePartner } from '@walt/matching';
import { ApiError, conflict, notFound, validationError } from '../common/api-error';
import type { CreatePartnerDto, ImportResultDto, ListPartnersQuery, PartnerDto, PartnerListDto, UpdatePartnerDto } from './dto/partner.dto';

/** A file with thousands of bad lines still gets a readable answer. */
const MAX_IMPORT_DETAILS = 500;

@Injectable()
export class PartnersService {
  constructor(private readonly partners: PartnersRepository) {}

  async list(query: ListPartnersQuery): Promise<PartnerListDto> {
    const { items, total } = await this.partners.list(query);
    return { items: items.map(partnerView), total, page: query.page, pageSize: query.pageSize };
  }

  async get(id: string): Promise<PartnerDto> {
    const partner = await this.partners.get(id);
    if (!partner) throw notFound(`Partner ${id}`);
    return partnerView(partner);
  }

  async create(body: CreatePartnerDto): Promise<PartnerDto> {
    // Criteria left out take the usual ones of the partner's type, as in the CSV.
    const defaults = PARTNER_TYPE_DEFAULTS[body.type as PartnerType];
    const partner: Partner = {
      ...body,
      zones: body.zones.map(({ kind, code }) => ({ kind, code })),
      minAge: body.minAge ?? defaults?.minAge ?? NaN,
      maxAge: body.maxAge ?? defaults?.maxAge ?? NaN,
      diplomaLevels: body.diplomaLevels ?? [...(defaults?.diplomaLevels ?? [])],
      wishes: body.wishes ?? [...(defaults?.wishes ?? [])],
      active: body.active ?? true,
      referralExpiresAfter: body.referralExpiresAfter ?? undefined,
    };
    if (partner.referralExpiresAfter === undefined) delete partner.referralExpiresAfter;
    assertValid(partner);
    if (!(await this.partners.create(partner))) throw conflict(`A partner with id ${partner.id} already exists.`);
    return this.get(partner.id);
  }

  async update(id: string, body: UpdatePartnerDto): Promise<PartnerDto> {
    const changes: PartnerChanges = { ...body };
    if (body.zones) changes.zones = body.zones.map(({ kind, code }) => ({ kind, code }));
    const updated = await this.partners.patch(id, changes, assertValid);
    if (!updated) throw notFound(`Partner ${id}`);
    return partnerView(updated);
  }

  /** All or nothing: one bad line and the directory is left exactly as it was. */
  async import(csv: string): Promise<ImportResultDto> {
    const { partners, errors } = parsePartnersCsv(csv);
    if (errors.length) {
      const details = errors.slice(0, MAX_IMPORT_DETAILS).map((e) => ({
        field: e.column ? `line ${e.line}, column ${e.column}` : `line ${e.line}`,
        message: e.message,
        line: e.line,
        column: e.column,
      }));
      const more = errors.length > MAX_IMPORT_DETAILS ? ` (the first ${MAX_IMPORT_DETAILS} are listed)` : '';
      throw new ApiError(
        HttpStatus.BAD_REQUEST,
        `The file has ${errors.length} error${errors.length > 1 ? 's' : ''}${more}; nothing was imported.`,
        details,
      );
    }
    if (!partners.length) throw validationError([{ field: 'file', message: 'no partner in the file (only a header?)' }]);
    const { created, updated } = await this.partners.replaceFromImport(partners);
    return { imported: partners.length, created, updated };
  }
}

/** validatePartner names fields as the JSON body does. */
function assertValid(partner: Partner): void {
  const problems = validatePartner(partner);
  if (problems.length) throw validationError(problems.map((p) => ({ field: p.field, message: p.message })));
}

export function partnerView(p: PartnerRecord): PartnerDto {
  return {
    id: p.id,
    type: p.type,
    name: p.name,
    communeCode: p.communeCode,
    departement: p.departement,
    zones: p.zones,
    minAge: p.minAge,
    maxAge: p.maxAge,
    diplomaLevels: p.diplomaLevels,
    wishes: p.wishes,
    monthlyCapacity: p.monthlyCapacity,
    active: p.active,
    contactEmail: p.contactEmail,
    referralExpiresAfter: p.referralExpiresAfter ?? null,
  };
}
