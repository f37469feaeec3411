// Every workflow the worker registers: the bundler starts here.
export { welcomeWorkflow } from './welcome.workflow';
export { reminderCheckWorkflow } from './reminder-check.workflow';
