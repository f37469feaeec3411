export { User, type UserRole } from './user.model';
export { Session } from './session.model';
export { Subscription, type BillingCycle, type SubscriptionStatus } from './subscription.model';
export { Payment } from './payment.model';
export { ReminderLog, type ReminderStatus } from './reminder-log.model';
export { MonthlyReport, type ReportStatus } from './monthly-report.model';
export { ApiToken, type ApiTokenScope } from './api-token.model';
export { CalendarFeed } from './calendar-feed.model';
export { Channel, type ChannelType, type ChannelEvent } from './channel.model';
export { ChannelDelivery, type ChannelDeliveryStatus } from './channel-delivery.model';
export { ExchangeRate } from './exchange-rate.model';
export {
  SubscriptionImport,
  type ImportFormat,
  type ImportRowError,
  type ImportStatus,
} from './subscription-import.model';
export { ImportKey } from './import-key.model';
