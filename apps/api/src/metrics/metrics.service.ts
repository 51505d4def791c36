import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QUEUE_STATES, QueueDepths } from './queue-depths';

/**
 * The API process's Prometheus registry: Node's own metrics, HTTP (http-metrics.ts), and two
 * gauges read at scrape time: BullMQ queue depths and journeys by stage (one GROUP BY on cases).
 * Every replica reports the same queue and stage figures: aggregate them with max(), not sum().
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  constructor(dataSource: DataSource, queues: QueueDepths) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'walt_queue_jobs',
      help: 'Outbound message jobs in BullMQ, by queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        const depths = await queues.depths().catch(() => undefined); // Redis down: /ready says so
        for (const [queue, depth] of Object.entries(depths ?? {})) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, depth[state]);
        }
      },
    });
    new Gauge({
      name: 'walt_journeys',
      help: 'Cases by current stage (from the cases projection in PostgreSQL)',
      labelNames: ['stage'],
      registers: [this.registry],
      async collect() {
        const rows: { stage: string; n: number }[] = await dataSource.query('SELECT stage, count(*)::int AS n FROM cases GROUP BY stage');
        this.reset();
        for (const row of rows) this.set({ stage: row.stage }, row.n);
      },
    });
  }
}
