// The workflow bundle used by every test worker: production workflows plus test-only ones.
export * from '../../workflows';
export * from './test-only.workflow';
