/**
 * The people of a chaos run, through the real API: a young person sends the form, a counsellor
 * logs the contact or closes the case, partners accept, decline or let a referral expire. Every
 * call is retried with the same idempotency key (the form's submissionId, the Idempotency-Key
 * header) until it gets an answer that is not the API or its dependencies being down.
 */
import { randomUUID } from 'node:crypto';
import { signToken } from '../../libs/auth/src';
import { aForm } from '../../test/support/forms';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Script = 'accept' | 'declineThenAccept' | 'expire' | 'close';
export const SCRIPTS: Script[] = ['accept', 'declineThenAccept', 'expire', 'close'];

export interface Journey {
  caseId: string;
  script: Script;
  /** The intake call needed retries (the API died under it, or its start was held). */
  intakeRetried?: boolean;
  /** Its start was lost on purpose (the API killed between intake's commit and the workflow start). */
  startLost?: boolean;
  error?: string;
  /** Steps done, for milestones (`journeys.filter(j => j.steps >= 2)`). */
  steps: number;
}

/** Longer than the reconciler's grace (10 s) and period in the chaos runs (1-3 s): a lost start is the reconciler's to start. */
const LOST_START_PATIENCE_MS = 25_000;

export interface ActorsOptions {
  apiUrl: string;
  jwtSecret: string;
  maxReferralAttempts: number;
  random: () => number;
  /** How long a client keeps retrying one call. */
  patienceMs?: number;
}

export class Actors {
  retries = 0;
  private stopped = false;
  private readonly counsellor: string;

  constructor(private readonly o: ActorsOptions) {
    this.counsellor = signToken({ sub: 'chaos-counsellor', role: 'counsellor' }, o.jwtSecret, '4h');
  }

  private between(lo: number, hi: number): number {
    return lo + Math.floor(this.o.random() * (hi - lo));
  }

  private partner(partnerId: string): string {
    return signToken({ sub: `chaos-${partnerId}`, role: 'partner', partnerId }, this.o.jwtSecret, '4h');
  }

  async http(method: string, path: string, token: string | undefined, body?: object, key = randomUUID()) {
    const deadline = Date.now() + (this.o.patienceMs ?? 180_000);
    let tries = 0;
    for (;;) {
      if (this.stopped) throw new Error('the run stopped');
      tries += 1;
      try {
        const res = await fetch(`${this.o.apiUrl}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(method !== 'GET' ? { 'idempotency-key': key } : {}),
          },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(20_000),
        });
        const json: any = res.headers.get('content-type')?.includes('json') ? await res.json() : undefined;
        // Ours to retry: the API or what it depends on is down, or the key's first attempt still runs.
        const busy = res.status === 409 && json?.details?.[0]?.field === 'Idempotency-Key' && res.headers.get('retry-after');
        if (res.status < 500 && !busy) return { status: res.status, body: json, tries };
      } catch {
        // connection refused or reset: the API was killed
      }
      this.retries += 1;
      if (Date.now() > deadline) throw new Error(`${method} ${path}: no answer for ${(this.o.patienceMs ?? 180_000) / 1000} s`);
      await sleep(500);
    }
  }

  /** Every client gives up at its next call (a failed run's clean-up). */
  stop(): void {
    this.stopped = true;
  }

  /** A young person sends the form (retried with the same submissionId). */
  async intake(script: Script): Promise<Journey> {
    const res = await this.http('POST', '/v1/intake/forms', undefined, aForm());
    if (res.status !== 201 && res.status !== 200) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.body)}`);
    return { caseId: res.body.caseId, script, intakeRetried: res.tries > 1, steps: 1 };
  }

  private async referralOf(caseId: string, attempt: number, timeoutMs = 150_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const res = await this.http('GET', `/v1/cases/${caseId}`, this.counsellor);
      const referral = res.body?.referrals?.find((r: { attempt: number }) => r.attempt === attempt);
      if (referral?.status === 'PENDING') return referral as { referralId: string; partnerId: string };
      if (['NEEDS_COUNSELLOR', 'CLOSED'].includes(res.body?.stage)) return undefined;
      if (referral && referral.status !== 'PENDING') return undefined;
      await sleep(500);
    }
    return undefined;
  }

  private async close(journey: Journey) {
    const closed = await this.http('POST', `/v1/cases/${journey.caseId}/close`, this.counsellor, { reason: 'WITHDRAWN' });
    // A close whose answer was lost with a killed API, retried with its key once the lease lapsed,
    // finds the journey it closed ended: the end this script wanted (the check reads the row).
    const closedBefore = closed.status === 409 && /has ended \(CLOSED\)/.test(closed.body?.message ?? '');
    if (closed.status !== 200 && !closedBefore)
      journey.error = `close refused: ${closed.status} ${JSON.stringify(closed.body).slice(0, 200)}`;
  }

  /** One young person's journey, by its script; whatever happens, it ends closed by a counsellor or an outcome. */
  async play(journey: Journey): Promise<void> {
    const { caseId } = journey;
    // A case whose start was lost is left alone for a while, so that its journey is the
    // reconciler's to start (an action on it would start it too: JourneyCommands).
    await sleep(journey.startLost ? LOST_START_PATIENCE_MS : this.between(0, 1500));
    const contact = await this.http('POST', `/v1/cases/${caseId}/contacts`, this.counsellor, { channel: 'PHONE', reached: true });
    if (contact.status >= 300) {
      journey.error = `contact refused: ${contact.status} ${JSON.stringify(contact.body).slice(0, 200)}`;
      return;
    }
    journey.steps += 1;
    if (journey.script === 'close') return this.close(journey);
    for (let attempt = 1; attempt <= this.o.maxReferralAttempts; attempt++) {
      const referral = await this.referralOf(caseId, attempt);
      if (!referral) break;
      journey.steps += 1;
      const partner = this.partner(referral.partnerId);
      const base = `/v1/partner/referrals/${referral.referralId}`;
      if (attempt === 1 && journey.script === 'expire') continue; // no answer: reminder, expiry, next partner
      if (attempt === 1 && journey.script === 'declineThenAccept') {
        await this.http('POST', `${base}/decline`, partner, { reason: 'CAPACITY_FULL' });
        continue;
      }
      const accepted = await this.http('POST', `${base}/accept`, partner, {});
      if (accepted.status !== 200) continue; // expired meanwhile (a fault stalled us): the next partner
      // Attendance waits for the journey to take the acceptance in (409 until then).
      let attended = await this.http('POST', `${base}/attendance`, partner, { attended: true });
      for (let i = 0; i < 240 && attended.status !== 200; i++) {
        await sleep(500);
        attended = await this.http('POST', `${base}/attendance`, partner, { attended: true });
      }
      if (attended.status !== 200) {
        journey.error = `attendance refused: ${attended.status} ${JSON.stringify(attended.body).slice(0, 200)}`;
      }
      const outcome = await this.http('POST', `${base}/outcome`, partner, { outcome: 'EMPLOYMENT' });
      journey.steps += 1;
      if (outcome.status === 200) return;
      break;
    }
    await this.close(journey);
  }
}
