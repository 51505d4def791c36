import { Clock } from '../../apps/api/src/common/clock';

/** The API's clock in tests: the real time, unless a test stands it at a fixed instant. */
export class TestClock extends Clock {
  private fixed?: Date;

  override now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Stands the clock at `instant` until reset(). */
  standAt(instant: Date | string): void {
    this.fixed = new Date(instant);
  }

  reset(): void {
    this.fixed = undefined;
  }
}
