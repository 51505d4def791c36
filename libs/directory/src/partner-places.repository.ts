import type { DataSource } from 'typeorm';
import { localMonth, MAINLAND_TIME_ZONE } from '@walt/domain';

/** Capacities are monthly, and the programme's months are French ones. */
export const placeMonthOf = (at: Date): string => localMonth(at, MAINLAND_TIME_ZONE);

export interface PlaceRequest {
  referralId: string;
  partnerId: string;
  caseId: string;
  /** When the referral is sent: the month whose places it takes. */
  at: Date;
  /** A counsellor's override: the place is taken even beyond the capacity. */
  forced: boolean;
}

/**
 * The ledger of partners' monthly places (`partner_places`): one per referral. The capacity
 * check and the take happen in one transaction with the partner's row locked, so twenty
 * journeys matched at the same moment cannot send a partner more than its capacity.
 */
export class PartnerPlacesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** True if the referral has its place (taken now, or already by an earlier attempt of the same call). */
  async take(request: PlaceRequest): Promise<boolean> {
    const month = placeMonthOf(request.at);
    return this.dataSource.transaction(async (manager) => {
      const [partner]: { monthly_capacity: number }[] = await manager.query(
        'SELECT monthly_capacity FROM partners WHERE id = $1 FOR UPDATE',
        [request.partnerId],
      );
      if (!partner) return false;
      const [held] = await manager.query('SELECT 1 FROM partner_places WHERE referral_id = $1', [request.referralId]);
      if (held) return true;
      // The ledger's counter (partner_month_load, kept by a trigger on partner_places): one row, whatever the history.
      const [load]: { taken: number }[] = await manager.query('SELECT taken FROM partner_month_load WHERE partner_id = $1 AND month = $2', [
        request.partnerId,
        month,
      ]);
      const taken = load?.taken ?? 0;
      if (!request.forced && taken >= partner.monthly_capacity) return false;
      await manager.query(
        'INSERT INTO partner_places (referral_id, partner_id, case_id, month, taken_at, forced) VALUES ($1, $2, $3, $4, $5, $6)',
        [request.referralId, request.partnerId, request.caseId, month, request.at, request.forced],
      );
      return true;
    });
  }

  /** Gives back the place of a referral that was never sent (the journey closed meanwhile). */
  async release(referralId: string): Promise<void> {
    await this.dataSource.query('DELETE FROM partner_places WHERE referral_id = $1', [referralId]);
  }

  /** Places taken in the month of `at`, per partner: the load the matcher sees (one counter row per partner). */
  async takenInMonthOf(at: Date): Promise<Map<string, number>> {
    const rows: { partner_id: string; n: number }[] = await this.dataSource.query(
      'SELECT partner_id, taken AS n FROM partner_month_load WHERE month = $1 AND taken > 0',
      [placeMonthOf(at)],
    );
    return new Map(rows.map((r) => [r.partner_id, r.n]));
  }
}
