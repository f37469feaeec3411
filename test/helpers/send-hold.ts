import type { Mailer } from '../../src/mail/mailer';

/**
 * Holds one chosen send in flight, sending nothing, until released: a Mailgun that never answers, without the
 * client's own timeout. The time-skipping server does not skip time while an activity runs, so a held attempt
 * lets the activity's schedule-to-close fire during it.
 */
export interface SendHold {
  wrap(inner: Mailer): Mailer;
  /** The `n`-th send from now on (1-based) is held. */
  holdNth(n: number): void;
  /** Ends a held send with an error (the server has timed it out already) and holds nothing more. */
  release(): void;
  /** How many sends were held since `holdNth`. */
  held(): number;
}

export function createSendHold(): SendHold {
  let seen = 0;
  let target = 0;
  let held = 0;
  let waiting: (() => void)[] = [];
  return {
    wrap: (inner) => ({
      async send(message) {
        seen += 1;
        if (seen !== target) return inner.send(message);
        held += 1;
        await new Promise<void>((resolve) => waiting.push(resolve));
        throw new Error('held send released after its attempt had timed out');
      },
    }),
    holdNth(n) {
      seen = 0;
      held = 0;
      target = n;
    },
    release() {
      target = 0;
      for (const resolve of waiting) resolve();
      waiting = [];
    },
    held: () => held,
  };
}
