import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { durationMs, type Policy, type SourceChannel } from '@walt/domain';
import { IntakeCapture, IntakeRejected, PolicyChoice, type IntakeSubmission } from '@walt/intake';
import { JourneyEventsRepository, PoliciesRepository, SimulationHistoryRepository, SimulationSchemas } from '@walt/persistence';
import {
  drawFor,
  drawHours,
  gridDelay,
  estimateModel,
  historyFrom,
  onGrid,
  partnerAnswer,
  runBoundMs,
  runFigures,
  scaleDuration,
  scalePolicy,
  type BehaviourModel,
  type ProfileShape,
  type SimulationRunInput,
  type SimulationRunResult,
} from '@walt/simulation';
import { JourneyStarter, journeyWorkflowId, referralWorkflowId, simulationTaskQueue } from '@walt/temporal';
import { simulatedForm } from '../infra/demo/population';
import {
  closeUpdate,
  decideReferralUpdate,
  logContactUpdate,
  recordAttendanceUpdate,
  recordCheckInUpdate,
  rematchUpdate,
  youthRepliedSignal,
} from '../workflows/messages';

export interface SimulationActivitiesOptions {
  /** The real database: read for history and the directory, never written by a run. */
  dataSource: DataSource;
  client: () => Promise<Client>;
  /** A worker of the real journey and referral workflows, on `taskQueue`, whose activities write to `dataSource`. */
  workerFor: (taskQueue: string, dataSource: DataSource) => Promise<Worker>;
}

/**
 * The run's grid (wall time): the simulated people act on its points, times are read on it
 * (onGrid), and an action that would fall on one of the policy's timers is moved one step past it,
 * since a race would make the result depend on the machine's load. What a step of the journey
 * costs the machine must stay under it for a seed to give the same result every time.
 */
const GUARD_MS = 250;
/** After the horizon the run goes on this long, so what was due before it is written; only events up to the horizon count. */
const SETTLE_MS = 3000;
const POLL_MS = 25;
const SIMULATED_COUNSELLOR = 'counsellor:simulation';

/**
 * One run of a what-if: one policy, one seed. It creates a schema of its own (the real
 * migrations, the real directory), a worker of the real journey and referral workflows on a task
 * queue of its own whose activities write there and send nothing (no dispatcher: messages are
 * rows of the run's outbound_messages only), a synthetic cohort captured through the real intake
 * over `arrivalDays`, and simulated young people, partners and counsellors who answer through the
 * same signals and updates as real ones; after `horizonDays` it reads the figures back and drops
 * everything.
 */
export class SimulationActivities {
  constructor(private readonly options: SimulationActivitiesOptions) {}

  async runPolicyInSimulation(input: SimulationRunInput): Promise<SimulationRunResult> {
    const started = Date.now();
    const model = await this.model(input);
    const run = `${input.seed}_${input.label}`;
    const schemas = new SimulationSchemas(this.options.dataSource);
    const schema = SimulationSchemas.nameOf(input.simulationId, run);
    const taskQueue = simulationTaskQueue(input.simulationId, run);
    const simulated = await schemas.create(schema, { simulationId: input.simulationId, deadline: new Date(started + runBoundMs(input)) });
    let worker: Worker | undefined;
    let running: Promise<void> | undefined;
    try {
      const policy = scalePolicy(input.policy, input.msPerDay);
      await new PoliciesRepository(simulated).create(policy, 'simulation');
      await scalePartnerDeadlines(simulated, input.msPerDay);
      worker = await this.options.workerFor(taskQueue, simulated);
      running = worker.run();
      const client = await this.options.client();
      const actors = new SimulatedProgramme(client, simulated, taskQueue, input, model, policy);
      const window = await actors.live();
      // The worker first, so no activity is left to complete on a journey about to be terminated.
      worker.shutdown();
      await running;
      await actors.stop();
      const written = await SimulationSchemas.written(simulated);
      const figures = runFigures(
        written.events
          .map((e) => ({ ...e, at: onGrid(new Date(e.at).getTime(), window.startMs, GUARD_MS) }))
          .filter((e) => e.at <= window.endMs),
        written.messages,
        { ...window, msPerDay: input.msPerDay },
      );
      return {
        label: input.label,
        seed: input.seed,
        figures,
        model: model.source,
        wallMs: Date.now() - started,
      };
    } finally {
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running?.catch(() => undefined);
      await schemas.drop(schema, simulated);
    }
  }

  private async model(input: SimulationRunInput): Promise<BehaviourModel> {
    const history = new SimulationHistoryRepository(this.options.dataSource);
    const from = new Date(input.cohort.from);
    const to = new Date(input.cohort.to);
    const [profiles, rows, journeys, policies] = await Promise.all([
      history.profiles(from, to),
      history.events(from, to),
      history.journeys(from, to),
      this.options.dataSource.query(`SELECT version, body FROM policies`) as Promise<{ version: number; body: Policy }[]>,
    ]);
    return estimateModel(historyFrom(rows, profiles as ProfileShape[], journeys, new Map(policies.map((p) => [p.version, p.body]))));
  }
}

/** A partner's own SLA (partners.referral_expires_after) is a duration of the programme too: scaled like the policy's. */
async function scalePartnerDeadlines(simulated: DataSource, msPerDay: number) {
  const rows: { id: string; referral_expires_after: string }[] = await simulated.query(
    `SELECT id, referral_expires_after FROM partners WHERE referral_expires_after IS NOT NULL`,
  );
  for (const row of rows) {
    await simulated.query(`UPDATE partners SET referral_expires_after = $2 WHERE id = $1`, [
      row.id,
      scaleDuration(row.referral_expires_after, msPerDay),
    ]);
  }
}

interface ObservedEvent {
  id: string;
  caseId: string;
  type: string;
  at: Date;
  data: Record<string, any>;
}

interface SimulatedCase {
  index: number;
  replying: boolean;
  /** A counsellor has already started a new round of matching for it. */
  rematched: boolean;
}

/** Escalations that leave a case waiting for a counsellor in orientation (UNRESPONSIVE is answered by a contact). */
const STUCK = ['ATTEMPTS_EXHAUSTED', 'NO_ELIGIBLE_PARTNER', 'NO_SHOW', 'PARTNER_UNKNOWN'];

interface Scheduled {
  at: number;
  act: () => Promise<unknown>;
}

/** The simulated people of one run: they see what the journeys write and answer like people do. */
class SimulatedProgramme {
  private readonly cases = new Map<string, SimulatedCase>();
  private readonly referrals: { caseId: string; attempt: number }[] = [];
  private readonly scheduled: Scheduled[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private lastEventId = '0';
  private failure?: Error;
  private readonly early: ObservedEvent[] = [];
  private startMs = 0;
  private readonly day: number;
  private readonly intake: IntakeCapture;

  constructor(
    private readonly client: Client,
    private readonly simulated: DataSource,
    taskQueue: string,
    private readonly input: SimulationRunInput,
    private readonly model: BehaviourModel,
    private readonly policy: Policy,
  ) {
    this.day = input.msPerDay;
    this.intake = new IntakeCapture(
      simulated,
      new JourneyEventsRepository(simulated),
      new PolicyChoice(new PoliciesRepository(simulated)),
      new JourneyStarter(client, simulated, taskQueue),
    );
  }

  /** Runs the arrivals and the answers until the horizon; answers the run's wall-clock window. */
  async live(): Promise<{ startMs: number; endMs: number }> {
    const startMs = Date.now();
    this.startMs = startMs;
    const endMs = startMs + (this.input.arrivalDays + this.input.horizonDays) * this.day;
    const arrivals = Array.from({ length: this.input.cohort.size }, (_, index) => {
      const prng = drawFor(this.input.seed, index, 0);
      return { index, at: onGrid(startMs + prng.next() * this.input.arrivalDays * this.day, startMs, GUARD_MS) };
    }).sort((a, b) => a.at - b.at);
    let lastBeat = 0;
    while (Date.now() < endMs) {
      const now = Date.now();
      // Arrivals go through intake side by side, as forms do, while the others keep answering.
      while (arrivals.length && arrivals[0].at <= now) {
        this.track(this.arrive(arrivals.shift()!.index).catch((err: Error) => (this.failure ??= err)));
      }
      if (this.failure) throw this.failure; // an intake that refuses a simulated form is a bug of the simulation
      await this.observe();
      this.scheduled.sort((a, b) => a.at - b.at);
      while (this.scheduled.length && this.scheduled[0].at <= Date.now()) this.fire(this.scheduled.shift()!);
      if (now - lastBeat > 1000) {
        Context.current().heartbeat({ elapsed: now - startMs, of: endMs - startMs });
        lastBeat = now;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await Promise.allSettled([...this.inFlight]);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return { startMs, endMs };
  }

  /** Ends what is still running (a journey in follow-up lasts months): its events so far are the result. */
  async stop(): Promise<void> {
    const ids = [...[...this.cases.keys()].map(journeyWorkflowId), ...this.referrals.map((r) => referralWorkflowId(r.caseId, r.attempt))];
    await Promise.allSettled(ids.map((id) => this.client.workflow.getHandle(id).terminate('simulation horizon reached')));
  }

  private async arrive(index: number) {
    const prng = drawFor(this.input.seed, index, 1);
    const now = new Date();
    const form = simulatedForm(prng, index, now);
    const shape = this.model.profiles.length ? this.model.profiles[Math.floor(prng.next() * this.model.profiles.length)] : undefined;
    const submission = { ...form, ...(shape ? fromShape(shape, now) : {}), ...identityless(this.input.seed, index) } as IntakeSubmission;
    // A profile of the history the intake now refuses (a commune merged since, a generated place) gives way to the demo's.
    const result = await this.intake.submit(submission, now).catch((err: Error) => {
      if (!(err instanceof IntakeRejected) || !shape) throw err;
      return this.intake.submit({ ...submission, ...form, ...identityless(this.input.seed, index) } as IntakeSubmission, now);
    });
    this.cases.set(result.caseId, { index, replying: false, rematched: false });
  }

  /** Reads what the journeys wrote since last time and lets the actors react. */
  private async observe() {
    const events: ObservedEvent[] = await this.simulated.query(
      `SELECT id, case_id AS "caseId", type, at, data FROM journey_events WHERE id > $1 ORDER BY id`,
      [this.lastEventId],
    );
    if (events.length) this.lastEventId = events[events.length - 1].id;
    // A journey can write before its intake has answered (the case is committed, then the journey starts).
    const seen = [...this.early.splice(0), ...events];
    for (const event of seen) {
      const kase = this.cases.get(event.caseId);
      if (kase) await this.react(event.caseId, kase, event);
      else this.early.push(event);
    }
  }

  private async react(caseId: string, kase: SimulatedCase, event: ObservedEvent) {
    // From the event's own point of the grid, not from when it was seen: the poll's delay is the machine's, not the person's.
    const now = onGrid(new Date(event.at).getTime(), this.startMs, GUARD_MS);
    const { seed } = this.input;
    const journey = () => this.client.workflow.getHandle(journeyWorkflowId(caseId));
    const purpose: string | undefined = event.data.purpose;
    if (event.type === 'MESSAGE_QUEUED' && purpose && /^(WELCOME|NUDGE_\d+)$/.test(purpose) && !kase.replying) {
      const n = purpose === 'WELCOME' ? 0 : Number(purpose.slice('NUDGE_'.length));
      const prng = drawFor(seed, kase.index, 100 + n);
      const chance = this.model.youth.replyAfterNudge[n] ?? this.model.youth.replyAfterNudge.at(-1)!;
      if (!prng.chance(chance)) return;
      const offsets = this.policy.nudgeOffsets.map(durationMs);
      const since = offsets[n] ?? 0;
      const timers = [...offsets, durationMs(this.policy.escalateUnresponsiveAfter)].map((t) => t - since);
      const delay = this.clear(this.hours(drawHours(prng, this.model.youth.replyHours)), timers);
      if (delay >= durationMs(this.policy.closeUnreachableAfter) - since - GUARD_MS) return; // closed before answering
      kase.replying = true;
      this.schedule(now + delay, () => journey().signal(youthRepliedSignal, { channel: 'SMS' }));
    } else if (event.type === 'ESCALATED' && event.data.why === 'UNRESPONSIVE' && !kase.replying) {
      const prng = drawFor(seed, kase.index, 200);
      if (!prng.chance(this.model.youth.reachedAfterEscalation)) return;
      const left = durationMs(this.policy.closeUnreachableAfter) - durationMs(this.policy.escalateUnresponsiveAfter);
      const delay = this.hours(drawHours(prng, this.model.youth.reachHours));
      if (delay >= left - GUARD_MS) return;
      kase.replying = true;
      this.schedule(now + delay, () =>
        journey().executeUpdate(logContactUpdate, { args: [{ actor: SIMULATED_COUNSELLOR, channel: 'PHONE', reached: true }] }),
      );
    } else if (event.type === 'REFERRAL_SENT') {
      const { referralId, partnerId, partnerType, attempt } = event.data;
      this.referrals.push({ caseId, attempt });
      const [row] = await this.simulated.query(`SELECT sent_at, due_at FROM referrals WHERE id = $1`, [referralId]);
      const expiresIn = new Date(row.due_at).getTime() - new Date(row.sent_at).getTime();
      const answer = partnerAnswer(this.model, partnerType, drawFor(seed, kase.index, 300 + attempt));
      if (answer.kind === 'SILENT') return;
      const delay = this.hours(answer.afterHours);
      if (delay >= expiresIn - GUARD_MS) return; // it would have answered after the deadline: the referral expires
      const referral = () => this.client.workflow.getHandle(referralWorkflowId(caseId, attempt));
      const actor = `partner:${partnerId}`;
      if (answer.kind === 'DECLINED') {
        this.schedule(now + delay, () =>
          referral().executeUpdate(decideReferralUpdate, { args: [{ actor, decision: 'DECLINED', reason: answer.reason, via: 'portal' }] }),
        );
        return;
      }
      const appointmentAt = now + delay + this.hours(answer.appointmentAfterHours);
      this.schedule(now + delay, () =>
        referral().executeUpdate(decideReferralUpdate, {
          args: [{ actor, decision: 'ACCEPTED', appointmentAt: new Date(appointmentAt).toISOString(), via: 'portal' }],
        }),
      );
      this.schedule(appointmentAt + GUARD_MS, () =>
        journey().executeUpdate(recordAttendanceUpdate, { args: [{ actor, referralId, attended: answer.attends }] }),
      );
    } else if (event.type === 'ESCALATED' && STUCK.includes(event.data.why)) {
      this.counsellorTakesUp(caseId, kase, now);
    } else if (event.type === 'MESSAGE_QUEUED' && purpose === 'CHECK_IN') {
      // Follow-up is not estimated from history: most young people are on track, some reach their outcome.
      const prng = drawFor(seed, kase.index, 400 + Number(event.data.seq ?? 0));
      const draw = prng.next();
      const report = draw < 0.2 ? { status: 'OUTCOME' as const, outcome: 'TRAINING' as const } : { status: 'ON_TRACK' as const };
      this.schedule(now + this.hours(24), () =>
        journey().executeUpdate(recordCheckInUpdate, { args: [{ actor: SIMULATED_COUNSELLOR, ...report }] }),
      );
    }
  }

  /**
   * A counsellor takes up a case stuck in orientation: a new round of matching, once per case
   * (the journey asks partners not yet asked), or the case is closed. Drawn per escalation, so a
   * second escalation of the same case draws anew.
   */
  private counsellorTakesUp(caseId: string, kase: SimulatedCase, now: number) {
    const prng = drawFor(this.input.seed, kase.index, 500 + (kase.rematched ? 1 : 0));
    const delay = this.hours(drawHours(prng, this.model.counsellor.handleHours));
    const journey = () => this.client.workflow.getHandle(journeyWorkflowId(caseId));
    const args = { actor: SIMULATED_COUNSELLOR };
    if (!kase.rematched && prng.chance(this.model.counsellor.rematch)) {
      kase.rematched = true;
      this.schedule(now + delay, () => journey().executeUpdate(rematchUpdate, { args: [args] }));
    } else {
      this.schedule(now + delay, () => journey().executeUpdate(closeUpdate, { args: [{ ...args, reason: 'OTHER' }] }));
    }
  }

  /** Programme hours as wall-clock milliseconds of this run, in whole steps of the grid. */
  private hours(hours: number): number {
    return gridDelay((hours / 24) * this.day, GUARD_MS);
  }

  /** A delay moved past any timer it would fall too close to (the answer then comes just after the timer). */
  private clear(delay: number, timers: number[]): number {
    let moved = delay;
    for (const timer of [...timers].sort((a, b) => a - b)) if (Math.abs(moved - timer) < GUARD_MS) moved = timer + GUARD_MS;
    return moved;
  }

  private schedule(at: number, act: () => Promise<unknown>) {
    this.scheduled.push({ at, act });
  }

  /** An answer the journey refuses now (it moved on in the meantime) is what a real person would get: a 409, ignored. */
  private fire(action: Scheduled) {
    this.track(action.act().catch(() => undefined));
  }

  private track(work: Promise<unknown>) {
    const done = work.finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}

/** No identity: a made-up first name and an address that cannot receive mail (nothing is sent anyway). */
function identityless(seed: number, index: number): Partial<IntakeSubmission> {
  return {
    firstName: 'Simulation',
    lastName: null,
    email: `simulation-${seed}-${index}@simulation.invalid`,
    phone: null,
    consent: { dataProcessing: true, shareWithPartners: true, channels: ['EMAIL'] },
  };
}

function fromShape(shape: ProfileShape, now: Date): Partial<IntakeSubmission> {
  const birth = new Date(now);
  birth.setUTCFullYear(birth.getUTCFullYear() - shape.age);
  birth.setUTCDate(birth.getUTCDate() - 100);
  return {
    birthDate: birth.toISOString().slice(0, 10),
    postalCode: shape.postalCode,
    communeCode: shape.communeCode,
    diplomaLevel: shape.diplomaLevel,
    situation: shape.situation,
    barriers: shape.barriers,
    wishes: shape.wishes,
    source: { channel: shape.channel as SourceChannel },
  };
}
