import type { CaseEntity, JourneyEventEntity, YouthEntity } from '@walt/persistence';

/** `GET /v1/cases/{caseId}` as API.md spells it. */
export function caseView(kase: CaseEntity, youth: YouthEntity) {
  return {
    caseId: kase.id,
    stage: kase.stage,
    stageEnteredAt: kase.stageEnteredAt.toISOString(),
    segment: kase.segment,
    eligible: kase.eligible,
    ...(kase.closureReason ? { closure: { reason: kase.closureReason, outcome: kase.closureOutcome ?? undefined } } : {}),
    policyVersion: kase.policyVersion,
    counsellorId: kase.counsellorId,
    partnerId: kase.partnerId,
    nextActionAt: kase.nextActionAt?.toISOString() ?? null,
    profile: {
      firstName: youth.firstName,
      lastName: youth.lastName,
      birthDate: youth.birthDate,
      email: youth.email,
      phone: youth.phone,
      postalCode: youth.postalCode,
      communeCode: youth.communeCode,
      departement: kase.departement,
      diplomaLevel: youth.diplomaLevel,
      situation: youth.situation,
      barriers: youth.barriers,
      wishes: youth.wishes,
      consent: youth.consent,
      source: { channel: kase.sourceChannel, campaign: kase.sourceCampaign ?? undefined },
    },
    // Filled by the referral, check-in and messaging stages as they land.
    referrals: [] as unknown[],
    checkIns: [] as unknown[],
    messages: [] as unknown[],
  };
}

export const timelineEntry = (e: JourneyEventEntity) => ({ at: e.at.toISOString(), type: e.type, actor: e.actor, data: e.data });
