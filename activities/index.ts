import { createWelcomeActivities, type WelcomeActivityDeps } from './welcome-activities';

/** Everything the activities need; the worker entry wires real clients, tests fakes. */
export type ActivityDeps = WelcomeActivityDeps;

/** Every activity the worker registers, built from injected dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createWelcomeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
