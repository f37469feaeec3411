import { createExchangeRateActivities, type ExchangeRateActivityDeps } from './exchange-rate-activities';
import { createHousekeepingActivities, type HousekeepingActivityDeps } from './housekeeping-activities';
import { createImportActivities, type ImportStore } from './import-activities';
import { createReminderActivities, type ReminderActivityDeps } from './reminder-activities';
import { createReportActivities, type ReportActivityDeps } from './report-activities';
import { createWelcomeActivities, type WelcomeActivityDeps } from './welcome-activities';

/** Everything the activities need; the worker entry wires real clients, tests fakes. */
export type ActivityDeps = WelcomeActivityDeps &
  HousekeepingActivityDeps &
  ExchangeRateActivityDeps & {
    reminders: ReminderActivityDeps['reminders'];
    advancer: ReminderActivityDeps['advancer'];
    sendSlots: ReminderActivityDeps['sendSlots'];
    channels?: ReminderActivityDeps['channels'];
    links: WelcomeActivityDeps['links'] & ReminderActivityDeps['links'] & ReportActivityDeps['links'];
    reports: ReportActivityDeps['reports'];
    spending: ReportActivityDeps['spending'];
    /** The subscription imports' store; without it (tests of other workflows) the import activities are absent. */
    imports?: ImportStore;
  };

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  // One 429 pause for the worker's reminder and report batches: Mailgun's limits are per account.
  const mailPause = { untilMs: 0 };
  return {
    ...createWelcomeActivities(deps),
    ...createReminderActivities({ ...deps, mailPause }),
    ...createReportActivities({ ...deps, mailPause, channels: deps.channels?.channels }),
    ...createHousekeepingActivities(deps),
    ...createExchangeRateActivities(deps),
    ...(deps.imports ? createImportActivities({ imports: deps.imports, log: deps.log }) : {}),
  };
}

export type Activities = ReturnType<typeof createActivities>;
