/**
 * Counts the round trips this process makes to PostgreSQL and Redis, to say what a message
 * costs beside what it waits for: every `pg` query is one (the client waits for each answer
 * before the next), every ioredis command sent on its own is one, and a pipeline (or MULTI)
 * is one however many commands it carries. Blocking commands (BullMQ's wait for a job) count.
 */
import { Client } from 'pg';
import IORedis from 'ioredis';
import Pipeline from 'ioredis/built/Pipeline';

export interface RoundTrips {
  postgres: number;
  redis: number;
}

const counts: RoundTrips = { postgres: 0, redis: 0 };
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    counts.postgres++;
    return query.apply(this, args);
  } as typeof Client.prototype.query;
  const proto = IORedis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
  const sendCommand = proto.sendCommand;
  proto.sendCommand = function (this: unknown, ...args: unknown[]) {
    if (args[1] === undefined) counts.redis++; // with a stream, it is part of a pipeline
    return sendCommand.apply(this, args);
  };
  const pipeline = Pipeline.prototype as unknown as { exec: (...args: unknown[]) => unknown };
  const exec = pipeline.exec;
  pipeline.exec = function (this: unknown, ...args: unknown[]) {
    counts.redis++;
    return exec.apply(this, args);
  };
}

/** Runs `work` and answers the round trips the whole process made meanwhile. */
export async function countRoundTrips<T>(work: () => Promise<T>): Promise<{ result: T; roundTrips: RoundTrips }> {
  install();
  const before = { ...counts };
  const result = await work();
  return { result, roundTrips: { postgres: counts.postgres - before.postgres, redis: counts.redis - before.redis } };
}
