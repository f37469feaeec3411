// Every workflow the worker registers: the bundler starts here.
export { welcomeWorkflow } from './welcome.workflow';
export { reminderCheckWorkflow } from './reminder-check.workflow';
export { reminderBatchWorkflow } from './reminder-batch.workflow';
export { reminderTestWorkflow } from './reminder-test.workflow';
export { monthlyReportWorkflow } from './monthly-report.workflow';
export { reportBatchWorkflow } from './report-batch.workflow';
export { userReportWorkflow } from './user-report.workflow';
export { exchangeRatesWorkflow } from './exchange-rates.workflow';
export { channelTestWorkflow } from './channel-test.workflow';
export { subscriptionImportWorkflow } from './subscription-import.workflow';
