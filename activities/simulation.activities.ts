import { Context } from '@temporalio/activity';
import {
  Client,
  WorkflowNotFoundError,
  WorkflowUpdateStage,
  type WorkflowClientInterceptor,
  type WorkflowHandle,
} from '@temporalio/client';
import { defaultPayloadConverter, type Headers, type UpdateDefinition } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { durationMs, type Policy, type SourceChannel } from '@walt/domain';
import { IntakeCapture, IntakeRejected, PolicyChoice, type IntakeSubmission } from '@walt/intake';
import { JourneyEventsRepository, PoliciesRepository, SimulationHistoryRepository, SimulationSchemas } from '@walt/persistence';
import {
  drawFor,
  drawHours,
  estimateModel,
  historyFrom,
  partnerAnswer,
  runBoundMs,
  runFigures,
  DAY_MS,
  scaleDuration,
  scalePolicy,
  type BehaviourModel,
  type ProfileShape,
  type SimulationRunInput,
  type SimulationRunResult,
} from '@walt/simulation';
import { dataConverter, JourneyStarter, journeyWorkflowId, referralWorkflowId, simulationTaskQueue } from '@walt/temporal';
import { simulatedForm } from '../infra/demo/population';
import {
  closeUpdate,
  decideReferralUpdate,
  SIMULATION_CLOCK_HEADER,
  logContactUpdate,
  recordAttendanceUpdate,
  recordCheckInUpdate,
  rematchUpdate,
  simulationClockQuery,
  simulationClockSignal,
  youthRepliedSignal,
  type SimulationClockState,
} from '../workflows/messages';

export interface SimulationActivitiesOptions {
  /** The real database: read for history and the directory, never written by a run. */
  dataSource: DataSource;
  client: () => Promise<Client>;
  /** A worker of the real journey and referral workflows, on `taskQueue`, whose activities write to `dataSource`. */
  workerFor: (taskQueue: string, dataSource: DataSource) => Promise<Worker>;
}

/** How soon the driver looks again at a workflow still busy with its instant (an activity, a child starting), doubled up to the max. */
const BUSY_POLL_MS = 5;
const MAX_POLL_MS = 40;
/** A step that does not settle within this much wall time is a bug (a workflow task failing for ever, a lost start): the run fails. */
const SETTLE_BOUND_MS = 50_000;
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
      // Every time the journeys wrote is an instant of the run's logical clock (workflows/simulation-clock.ts).
      const figures = runFigures(
        written.events.map((e) => ({ ...e, at: new Date(e.at).getTime() })).filter((e) => e.at <= window.endMs),
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

/** A workflow of a case as the driver last saw it settle. */
interface SeenWorkflow {
  deadlines: number[];
  done: boolean;
  /** The journey that started it (a referral), which must see it end before the instant is over. */
  parent?: string;
}

interface SimulatedCase {
  index: number;
  replying: boolean;
  /** A counsellor has already started a new round of matching for it. */
  rematched: boolean;
  /** Its journey and referrals, by workflow id. */
  workflows: Map<string, SeenWorkflow>;
}

/** Escalations that leave a case waiting for a counsellor in orientation (UNRESPONSIVE is answered by a contact). */
const STUCK = ['ATTEMPTS_EXHAUSTED', 'NO_ELIGIBLE_PARTNER', 'NO_SHOW', 'PARTNER_UNKNOWN'];

/** Something a simulated person does at an instant of the logical clock, to one case (`index`). */
interface Scheduled {
  at: number;
  index: number;
  /** Order of scheduling, the last tie-break. */
  seq: number;
  act: () => Promise<unknown>;
}

/** Orders what happens in the run: by instant, then by case, then as scheduled. */
const before = (a: { at: number; index: number; seq?: number }, b: { at: number; index: number; seq?: number }) =>
  a.at - b.at || a.index - b.index || (a.seq ?? -1) - (b.seq ?? -1);

/**
 * The simulated people of one run, and the run's logical clock. The run is a discrete-event
 * simulation: every instant is known in advance (an arrival, an answer, drawn from the seed; a
 * timer of a workflow, which tells its deadline), and the driver acts one instant and one case at
 * a time, in that order: it tells the case's workflows the instant (their due timers fire), does
 * what the people do then, and waits until the workflows are quiescent (nothing in flight, see
 * settle) before reading what they wrote and going on. Nothing depends on how long the
 * machine takes: two cases never act at once (no race for a partner's last place), an answer and
 * a timer of the same instant come in one order (the timer first), and every time written is an
 * instant of the clock.
 */
class SimulatedProgramme {
  private readonly cases = new Map<string, SimulatedCase>();
  private readonly caseIds = new Map<number, string>();
  private readonly scheduled: Scheduled[] = [];
  private seq = 0;
  /** The instant being lived: every start, signal and update of the driver carries it (simulation-clock.ts). */
  private clock = 0;
  private lastEventId = '0';
  private lastLookError?: Error;
  private readonly day: number;
  private readonly intake: IntakeCapture;

  private readonly client: Client;

  constructor(
    client: Client,
    private readonly simulated: DataSource,
    taskQueue: string,
    private readonly input: SimulationRunInput,
    private readonly model: BehaviourModel,
    private readonly policy: Policy,
  ) {
    this.day = input.msPerDay;
    this.client = new Client({
      connection: client.connection,
      namespace: client.options.namespace,
      dataConverter: dataConverter(),
      interceptors: { workflow: [clockHeader(() => this.clock)] },
    });
    this.intake = new IntakeCapture(
      simulated,
      new JourneyEventsRepository(simulated),
      new PolicyChoice(new PoliciesRepository(simulated)),
      new JourneyStarter(client, simulated, taskQueue),
    );
  }

  /**
   * Runs the arrivals and the answers until the horizon; answers the run's window on the logical
   * clock. The clock starts at the day's midnight (UTC), so a seed gives the same ages at intake
   * all day long.
   */
  async live(): Promise<{ startMs: number; endMs: number }> {
    const startMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const endMs = startMs + (this.input.arrivalDays + this.input.horizonDays) * this.day;
    for (let index = 0; index < this.input.cohort.size; index++) {
      const at = startMs + Math.floor(drawFor(this.input.seed, index, 0).next() * this.input.arrivalDays * this.day);
      this.schedule(at, index, () => this.arrive(index, at));
    }
    let lastBeat = 0;
    for (let next = this.next(); next && next.at <= endMs; next = this.next()) {
      this.clock = next.at;
      const caseId = this.caseIds.get(next.index);
      // Its timers due now fire first, in an instant of their own; then what people do at that instant.
      if (caseId && this.dueBy(caseId, next.at)) await this.tick(caseId, next.at);
      const acts = this.scheduled.filter((s) => s.at === next!.at && s.index === next!.index).sort(before);
      for (const act of acts) {
        this.scheduled.splice(this.scheduled.indexOf(act), 1);
        await act.act();
        const acted = this.caseIds.get(next.index);
        if (acted) await this.settle(acted, next.at);
      }
      if (Date.now() - lastBeat > 1000) {
        Context.current().heartbeat({ elapsed: next.at - startMs, of: endMs - startMs });
        lastBeat = Date.now();
      }
    }
    return { startMs, endMs };
  }

  /** Ends what is still running (a journey in follow-up lasts months): its events so far are the result. */
  async stop(): Promise<void> {
    const ids = [...this.cases.values()].flatMap((kase) => [...kase.workflows.keys()]);
    await Promise.allSettled(ids.map((id) => this.client.workflow.getHandle(id).terminate('simulation horizon reached')));
  }

  private dueBy(caseId: string, at: number): boolean {
    return [...this.cases.get(caseId)!.workflows.values()].some((w) => !w.done && w.deadlines.length > 0 && w.deadlines[0] <= at);
  }

  /** The next instant and case: the soonest of what people will do and of the workflows' deadlines. */
  private next(): { at: number; index: number } | undefined {
    let soonest: { at: number; index: number } | undefined = this.scheduled.reduce<Scheduled | undefined>(
      (a, b) => (!a || before(b, a) < 0 ? b : a),
      undefined,
    );
    for (const kase of this.cases.values()) {
      for (const workflow of kase.workflows.values()) {
        const at = workflow.done ? undefined : workflow.deadlines[0];
        if (at !== undefined && (!soonest || before({ at, index: kase.index }, soonest) < 0)) soonest = { at, index: kase.index };
      }
    }
    return soonest;
  }

  /** Tells every workflow of the case that the clock reached `at` (its due timers fire), and waits for the instant to be over. */
  private async tick(caseId: string, at: number) {
    const kase = this.cases.get(caseId)!;
    const live = [...kase.workflows.entries()].filter(([, w]) => !w.done).map(([id]) => id);
    await Promise.all(live.map((id) => this.client.workflow.getHandle(id).signal(simulationClockSignal, at).catch(ignoreEnded)));
    await this.settle(caseId, at);
  }

  /**
   * Waits until the case's workflows are quiescent at `at`, then reads what they wrote. Each is
   * looked at after the one that started it (a journey, then its referrals): a workflow counts
   * as pending its activities, child starts and signals until their answer has reached it, and a
   * signal or a start reaches its target before the sender hears back, so one look at every
   * workflow that finds each one knowing the instant, with nothing pending, a journey that has
   * seen each of its ended referrals end and no referral left running after its journey ended,
   * means the instant is over (a query is answered after the tasks already due).
   */
  private async settle(caseId: string, at: number) {
    const kase = this.cases.get(caseId)!;
    const bound = Date.now() + SETTLE_BOUND_MS;
    for (let wait = BUSY_POLL_MS; ; wait = Math.min(2 * wait, MAX_POLL_MS)) {
      if (Date.now() > bound) {
        throw new Error(`the simulated case ${kase.index} did not settle at ${at}: ${this.lastLookError?.message ?? 'still busy'}`);
      }
      let busy = false;
      const seen = new Map<string, SimulationClockState>();
      for (const [id, workflow] of kase.workflows) {
        if (workflow.done) continue;
        const state = await this.look(id);
        if (!state) {
          busy = true; // started a moment ago: not visible yet
          continue;
        }
        seen.set(id, state);
        if (state.now === undefined) {
          await this.client.workflow.getHandle(id).signal(simulationClockSignal, at);
          busy = true;
        }
        const parent = workflow.parent ? seen.get(workflow.parent) : undefined;
        if (state.pending > 0) busy = true;
        if (state.done && parent && !parent.children.find((c) => c.workflowId === id)?.ended) busy = true;
        if (!state.done && parent?.done) busy = true; // its journey's end cancels it
        for (const child of state.children) {
          if (!kase.workflows.has(child.workflowId)) kase.workflows.set(child.workflowId, { deadlines: [], done: false, parent: id });
        }
      }
      if (!busy) {
        for (const [id, state] of seen) Object.assign(kase.workflows.get(id)!, { deadlines: state.deadlines, done: state.done });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await this.observe();
  }

  /** A workflow's state; none while it is not visible yet, or when the look failed (a query that timed out on a loaded machine: looked at again). */
  private async look(workflowId: string): Promise<SimulationClockState | undefined> {
    try {
      return await this.client.workflow.getHandle(workflowId).query(simulationClockQuery);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) this.lastLookError = err as Error;
      return undefined;
    }
  }

  private async arrive(index: number, at: number) {
    const prng = drawFor(this.input.seed, index, 1);
    const now = new Date(at);
    const form = simulatedForm(prng, index, now);
    const shape = this.model.profiles.length ? this.model.profiles[Math.floor(prng.next() * this.model.profiles.length)] : undefined;
    const submission = { ...form, ...(shape ? fromShape(shape, now) : {}), ...identityless(this.input.seed, index) } as IntakeSubmission;
    // A profile of the history the intake now refuses (a commune merged since, a generated place) gives way to the demo's.
    const result = await this.intake.submit(submission, now).catch((err: Error) => {
      if (!(err instanceof IntakeRejected) || !shape) throw err;
      return this.intake.submit({ ...submission, ...form, ...identityless(this.input.seed, index) } as IntakeSubmission, now);
    });
    await this.intake.idle(); // its journey's start is answered
    const [row] = await this.simulated.query(`SELECT stage FROM cases WHERE id = $1`, [result.caseId]);
    const workflows = new Map<string, SeenWorkflow>();
    // Out of scope, the case is closed at intake and has no journey.
    if (result.status === 'CREATED' && row?.stage !== 'CLOSED')
      workflows.set(journeyWorkflowId(result.caseId), { deadlines: [], done: false });
    this.cases.set(result.caseId, { index, replying: false, rematched: false, workflows });
    this.caseIds.set(index, result.caseId);
  }

  /** Reads what the journeys wrote since last time (the instant just over) and lets the actors react. */
  private async observe() {
    const events: ObservedEvent[] = await this.simulated.query(
      `SELECT id, case_id AS "caseId", type, at, data FROM journey_events WHERE id > $1 ORDER BY id`,
      [this.lastEventId],
    );
    if (events.length) this.lastEventId = events[events.length - 1].id;
    for (const event of events) {
      const kase = this.cases.get(event.caseId);
      if (kase) await this.react(event.caseId, kase, event);
    }
  }

  private async react(caseId: string, kase: SimulatedCase, event: ObservedEvent) {
    // The event's instant on the logical clock: the instant of what caused it.
    const now = new Date(event.at).getTime();
    const { seed } = this.input;
    const journey = () => this.client.workflow.getHandle(journeyWorkflowId(caseId));
    const purpose: string | undefined = event.data.purpose;
    if (event.type === 'MESSAGE_QUEUED' && purpose && /^(WELCOME|NUDGE_\d+)$/.test(purpose) && !kase.replying) {
      const n = purpose === 'WELCOME' ? 0 : Number(purpose.slice('NUDGE_'.length));
      const prng = drawFor(seed, kase.index, 100 + n);
      const chance = this.model.youth.replyAfterNudge[n] ?? this.model.youth.replyAfterNudge.at(-1)!;
      if (!prng.chance(chance)) return;
      const since = this.policy.nudgeOffsets.map(durationMs)[n] ?? 0;
      const delay = this.hours(drawHours(prng, this.model.youth.replyHours));
      if (delay >= durationMs(this.policy.closeUnreachableAfter) - since) return; // closed before answering
      kase.replying = true;
      this.schedule(now + delay, kase.index, () => journey().signal(youthRepliedSignal, { channel: 'SMS' }).catch(ignoreEnded));
    } else if (event.type === 'ESCALATED' && event.data.why === 'UNRESPONSIVE' && !kase.replying) {
      const prng = drawFor(seed, kase.index, 200);
      if (!prng.chance(this.model.youth.reachedAfterEscalation)) return;
      const left = durationMs(this.policy.closeUnreachableAfter) - durationMs(this.policy.escalateUnresponsiveAfter);
      const delay = this.hours(drawHours(prng, this.model.youth.reachHours));
      if (delay >= left) return;
      kase.replying = true;
      this.schedule(now + delay, kase.index, () =>
        this.update(journey(), logContactUpdate, { actor: SIMULATED_COUNSELLOR, channel: 'PHONE', reached: true }),
      );
    } else if (event.type === 'REFERRAL_SENT') {
      const { referralId, partnerId, partnerType, attempt } = event.data;
      const [row] = await this.simulated.query(`SELECT sent_at, due_at FROM referrals WHERE id = $1`, [referralId]);
      const expiresIn = new Date(row.due_at).getTime() - new Date(row.sent_at).getTime();
      const answer = partnerAnswer(this.model, partnerType, drawFor(seed, kase.index, 300 + attempt));
      if (answer.kind === 'SILENT') return;
      const delay = this.hours(answer.afterHours);
      if (delay >= expiresIn) return; // it would have answered after the deadline: the referral expires
      const referral = () => this.client.workflow.getHandle(referralWorkflowId(caseId, attempt));
      const actor = `partner:${partnerId}`;
      if (answer.kind === 'DECLINED') {
        this.schedule(now + delay, kase.index, () =>
          this.update(referral(), decideReferralUpdate, { actor, decision: 'DECLINED', reason: answer.reason, via: 'portal' }),
        );
        return;
      }
      const appointmentAt = now + delay + this.hours(answer.appointmentAfterHours);
      this.schedule(now + delay, kase.index, () =>
        this.update(referral(), decideReferralUpdate, {
          actor,
          decision: 'ACCEPTED',
          appointmentAt: new Date(appointmentAt).toISOString(),
          via: 'portal',
        }),
      );
      // The partner records the attendance a few hours after the appointment.
      this.schedule(appointmentAt + this.hours(3), kase.index, () =>
        this.update(journey(), recordAttendanceUpdate, { actor, referralId, attended: answer.attends }),
      );
    } else if (event.type === 'ESCALATED' && STUCK.includes(event.data.why)) {
      this.counsellorTakesUp(caseId, kase, now);
    } else if (event.type === 'MESSAGE_QUEUED' && purpose === 'CHECK_IN') {
      // Follow-up is not estimated from history: most young people are on track, some reach their outcome.
      const prng = drawFor(seed, kase.index, 400 + Number(event.data.seq ?? 0));
      const draw = prng.next();
      const report = draw < 0.2 ? { status: 'OUTCOME' as const, outcome: 'TRAINING' as const } : { status: 'ON_TRACK' as const };
      this.schedule(now + this.hours(24), kase.index, () =>
        this.update(journey(), recordCheckInUpdate, { actor: SIMULATED_COUNSELLOR, ...report }),
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
      this.schedule(now + delay, kase.index, () => this.update(journey(), rematchUpdate, args));
    } else {
      this.schedule(now + delay, kase.index, () => this.update(journey(), closeUpdate, { ...args, reason: 'OTHER' }));
    }
  }

  /**
   * An update as a person sends it, waited for until the workflow has accepted it (its handler
   * may wait for the journey to move on: the instant's settling covers that). One the journey
   * refuses now (it moved on in the meantime) is what a real person would get: a 409, ignored.
   */
  private async update<Arg>(handle: WorkflowHandle, update: UpdateDefinition<unknown, [Arg]>, arg: Arg) {
    try {
      const started = await handle.startUpdate(update, { args: [arg], waitForStage: WorkflowUpdateStage.ACCEPTED });
      void started.result().catch(() => undefined);
    } catch {
      // refused
    }
  }

  /** Programme hours as milliseconds of the run's clock, at least one (an answer never comes at the instant of what it answers). */
  private hours(hours: number): number {
    return Math.max(1, Math.round((hours / 24) * this.day));
  }

  private schedule(at: number, index: number, act: () => Promise<unknown>) {
    this.scheduled.push({ at, index, seq: this.seq++, act });
  }
}

/** Every start, signal and update the driver sends carries the instant it is sent at. */
function clockHeader(clock: () => number): WorkflowClientInterceptor {
  const stamped = (headers: Headers): Headers => ({ ...headers, [SIMULATION_CLOCK_HEADER]: defaultPayloadConverter.toPayload(clock()) });
  return {
    startWithDetails: (input, next) => next({ ...input, headers: stamped(input.headers) }),
    signal: (input, next) => next({ ...input, headers: stamped(input.headers) }),
    startUpdate: (input, next) => next({ ...input, headers: stamped(input.headers) }),
  };
}

/** A workflow that ended in the meantime (a referral decided, a journey closed) answers nothing: as for a real person. */
function ignoreEnded(err: unknown) {
  if (err instanceof WorkflowNotFoundError) return;
  throw err;
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
