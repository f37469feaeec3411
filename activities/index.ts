import { createHousekeepingActivities, type HousekeepingActivityDeps } from './housekeeping-activities';
import { createReminderActivities, type ReminderActivityDeps } from './reminder-activities';
import { createReportActivities, type ReportActivityDeps } from './report-activities';
import { createWelcomeActivities, type WelcomeActivityDeps } from './welcome-activities';

/** Everything the activities need; the worker entry wires real clients, tests fakes. */
export type ActivityDeps = WelcomeActivityDeps &
  HousekeepingActivityDeps & {
    reminders: ReminderActivityDeps['reminders'];
    advancer: ReminderActivityDeps['advancer'];
    sendSlots: ReminderActivityDeps['sendSlots'];
    links: WelcomeActivityDeps['links'] & ReminderActivityDeps['links'] & ReportActivityDeps['links'];
    reports: ReportActivityDeps['reports'];
    spending: ReportActivityDeps['spending'];
  };

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createWelcomeActivities(deps),
    ...createReminderActivities(deps),
    ...createReportActivities(deps),
    ...createHousekeepingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
