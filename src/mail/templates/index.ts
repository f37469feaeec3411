// Every email SubTracker sends, rendered to subject, text and HTML.
export type { RenderedEmail } from './rendered-email';
export { renderWelcomeEmail } from './welcome-email';
export { renderReminderEmail } from './reminder-email';
export { renderCancelByEmail, renderTrialEndEmail } from './term-emails';
export { renderReportEmail, type ReportEmailInput } from './report-email';
export { renderVerificationEmail, renderPasswordResetEmail } from './account-emails';
