import fs from 'node:fs';

/** Peak resident set of a live process (Linux VmHWM), in kB; 0 when it is gone. */
export function peakRssKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** Direct children of a live process (from /proc/<pid>/task/<tid>/children); [] when it is gone. */
export function childPids(pid: number): number[] {
  try {
    return fs
      .readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds (user + system) a live process has used so far, from /proc (clock ticks of 1/100 s); 0 when gone. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export const kbToMb = (kb: number) => Math.round(kb / 1024);

/**
 * Samples the peak RSS of some processes and of their children (short-lived ones, e.g. RQ work horses, are
 * only seen when alive at a sample: their largest observed peak is a lower bound).
 */
export function startRssSampler(pids: number[], intervalMs = 100) {
  const peaks = new Map<number, number>(pids.map((pid) => [pid, 0]));
  const childPeaks = new Map<number, number>();
  const sample = () => {
    for (const pid of pids) {
      peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakRssKb(pid)));
      for (const child of childPids(pid)) {
        childPeaks.set(child, Math.max(childPeaks.get(child) ?? 0, peakRssKb(child)));
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    sample,
    stop() {
      clearInterval(timer);
    },
    /** Peak per watched process, in kB. */
    peaks: () => pids.map((pid) => peaks.get(pid) ?? 0),
    /** The largest peak of any child seen, in kB, and how many distinct children were seen. */
    children: () => ({ largestKb: Math.max(0, ...childPeaks.values()), seen: childPeaks.size }),
  };
}
