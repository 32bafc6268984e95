import type { Health, KubeObject } from '../model/index.js';
import { asRecord, degraded, healthy, progressing, recordAt, str, suspended } from './fields.js';

/** Milliseconds of an RFC 3339 timestamp, or undefined. */
function timeOf(value: unknown): number | undefined {
  const s = str(value);
  if (!s) return undefined;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Health of a CronJob from its last schedule and last success: a run scheduled after the last success,
 * with no job still active, failed. Missed schedules cannot be seen from the status and are not judged.
 */
export function getCronJobHealth(obj: KubeObject): Health | undefined {
  const spec = recordAt(obj, 'spec');
  const name = obj.metadata.name;

  if (spec.suspend === true) {
    return suspended(
      `CronJob "${name}" is suspended; set spec.suspend to false to resume its schedule.`,
      'cronjob.suspended',
    );
  }

  const status = asRecord(obj.status);
  if (!status) {
    return progressing(
      'cronjob.status',
      `Waiting for the CronJob controller to report the status of "${name}".`,
      'status',
    );
  }

  const schedule = str(spec.schedule) ?? '(no schedule)';
  const lastSchedule = timeOf(status.lastScheduleTime);
  if (lastSchedule === undefined) {
    return healthy(
      `CronJob "${name}" has not been scheduled yet (schedule "${schedule}").`,
      'cronjob.lastRun',
    );
  }

  const active = Array.isArray(status.active) ? status.active.length : 0;
  if (active > 0) {
    return healthy(`CronJob "${name}" is running ${active} job(s) right now.`, 'cronjob.lastRun');
  }

  const lastSuccess = timeOf(status.lastSuccessfulTime);
  if (lastSuccess === undefined) {
    return healthy(
      `CronJob "${name}" has never completed a run successfully; check its last job if it has already run.`,
      'cronjob.lastRun',
    );
  }
  if (lastSuccess < lastSchedule) {
    return degraded(
      'cronjob.lastRun',
      `CronJob "${name}" did not complete its last run (scheduled ${str(status.lastScheduleTime)}); ` +
        `the last success was ${str(status.lastSuccessfulTime)}. Read the logs of its most recent job.`,
      `status.lastSuccessfulTime (${str(status.lastSuccessfulTime)} < lastScheduleTime ${str(status.lastScheduleTime)})`,
    );
  }
  return healthy(`CronJob "${name}" completed its last run successfully.`, 'cronjob.lastRun');
}
