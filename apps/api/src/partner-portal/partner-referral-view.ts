import type { CaseEntity, ReferralEntity, YouthEntity } from '@walt/persistence';
import { localAge, placeOfCommune } from '@walt/territory';
import type { PartnerReferralDto } from './dto/partner-referral.dto';

/** A referral with the case and the young person it is about. */
export interface ReferralRecord {
  referral: ReferralEntity;
  kase: CaseEntity;
  youth: YouthEntity;
}

const iso = (d: Date | null) => d?.toISOString();

/**
 * What a partner may know (PRODUCT.md, "Rules that protect young people"): enough to decide,
 * barriers only with the young person's consent, and contact details only once this partner
 * has accepted.
 */
export function partnerReferralView({ referral: r, kase, youth }: ReferralRecord, now: Date): PartnerReferralDto {
  const accepted = r.status === 'ACCEPTED';
  const sharesBarriers = youth.consent?.shareWithPartners === true;
  return withoutUndefined({
    referralId: r.id,
    caseId: r.caseId,
    status: r.status,
    attempt: r.attempt,
    sentAt: r.sentAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    decidedAt: iso(r.decidedAt),
    reason: r.reason ?? undefined,
    comment: r.comment ?? undefined,
    appointmentAt: iso(r.appointmentAt),
    attended: r.attended ?? undefined,
    attendanceAt: iso(r.attendanceAt),
    outcome: r.outcome ?? undefined,
    firstName: youth.firstName,
    // Today's age: the partner's admission criteria are about the person who will come.
    age: youth.birthDate ? localAge(youth.birthDate, now, kase.departement) : kase.ageAtCapture,
    diplomaLevel: youth.diplomaLevel,
    commune: placeOfCommune(youth.communeCode)?.communeName ?? null,
    departement: kase.departement,
    segment: kase.segment,
    barriers: sharesBarriers ? youth.barriers : undefined,
    wishes: youth.wishes,
    ...(accepted ? { lastName: youth.lastName, email: youth.email, phone: youth.phone } : {}),
  });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
