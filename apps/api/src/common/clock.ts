/**
 * The API's one clock. Rules that depend on the date or the hour (ages, "must be in the future",
 * overdue) read it here, never `new Date()`, so a test can fix the instant they are judged at.
 */
export class Clock {
  now(): Date {
    return new Date();
  }
}
