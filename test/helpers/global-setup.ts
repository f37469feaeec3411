// Replaced by the Temporal harness: resolves the Temporal binaries and bundles workflow code once per run.
export default async function globalSetup(): Promise<void> {}
