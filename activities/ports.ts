/** What activities need from the outside world, as interfaces: the worker wires Sequelize, tests fakes. */

/** A user as the welcome email needs them. */
export interface WelcomeUser {
  id: number;
  username: string;
  email: string;
  emailVerified: boolean;
}

export interface WelcomeStore {
  /** The user, or null when they were deleted. */
  findUser(id: number): Promise<WelcomeUser | null>;
  /** Ids > afterId of users whose welcome workflow was never started (welcome_started_at is null), ascending. */
  listUnwelcomed(afterId: number, limit: number): Promise<number[]>;
  /** Records that these users' welcome workflows exist, so the reminder check stops listing them. */
  markWelcomeStarted(ids: number[]): Promise<void>;
}

/** The slice of a pino logger activities use. */
export interface ActivityLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}
