/**
 * The one data set both sides get: USERS users with SUBS_PER_USER subscriptions each, the same names,
 * prices, cycles, categories and next payment dates (spread over the next ~60 days, so
 * `/reminders/upcoming?days=30` and this month's summary have work to do).
 */
import { addDays, localDate } from '../../src/time';

export const USERS = 200;
export const SUBS_PER_USER = 20;
export const PASSWORD = 'bench-password-42';
const CATEGORIES = ['streaming', 'music', 'fitness', 'software', 'insurance'];
const CYCLES = ['monthly', 'monthly', 'monthly', 'weekly', 'yearly'] as const;

export interface BenchUser {
  username: string;
  email: string;
}

export interface BenchSubscription {
  name: string;
  /** Minor units. */
  priceMinor: number;
  billingCycle: (typeof CYCLES)[number];
  nextPaymentDate: string;
  category: string;
}

export function benchUser(i: number): BenchUser {
  return { username: `bench${i}`, email: `bench${i}@bench.example.com` };
}

export function benchSubscriptions(userIndex: number, now = Date.now()): BenchSubscription[] {
  const today = localDate(now, 'UTC');
  return Array.from({ length: SUBS_PER_USER }, (_, j) => ({
    name: `Plan ${userIndex}-${j}`,
    priceMinor: 199 + ((userIndex * 31 + j * 17) % 4800),
    billingCycle: CYCLES[j % CYCLES.length]!,
    // Tomorrow at the earliest: nothing is due yet on either side (no advancing during the run).
    nextPaymentDate: addDays(today, 2 + ((j * 3 + userIndex) % 58)),
    category: CATEGORIES[(j + userIndex) % CATEGORIES.length]!,
  }));
}

export const minorToDecimal = (minor: number) =>
  `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
