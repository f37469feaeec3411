/** Activities of bench/temporal-floor.ts: no I/O; `done` counts finished children in the worker's process. */
export function createFloorActivities(onDone: () => void) {
  return {
    async noop(): Promise<void> {},
    async done(): Promise<void> {
      onDone();
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;
