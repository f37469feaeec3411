import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const SEED_SOURCE = path.resolve(__dirname, '../..', '../shared/seed/subtracker-flask');

/**
 * A copy of the Flask seed with its own .venv (its requirements-dev.txt and gunicorn from PyPI) in `seedDir`,
 * created from ../shared/seed/subtracker-flask when missing. The seed itself is never edited.
 */
export function ensureSeedCopy(seedDir: string, log: (m: string) => void): void {
  if (fs.existsSync(path.join(seedDir, '.venv/bin/gunicorn'))) return;
  log(`preparing the seed in ${seedDir} (copy of ${SEED_SOURCE}, venv from PyPI)`);
  fs.mkdirSync(path.dirname(seedDir), { recursive: true });
  execFileSync('cp', ['-r', SEED_SOURCE, seedDir]);
  execFileSync('chmod', ['-R', 'u+w', seedDir]);
  execFileSync('python3', ['-m', 'venv', '.venv'], { cwd: seedDir, stdio: 'inherit' });
  execFileSync('.venv/bin/pip', ['install', '-q', '-r', 'requirements-dev.txt', 'gunicorn'], {
    cwd: seedDir,
    stdio: 'inherit',
  });
}
