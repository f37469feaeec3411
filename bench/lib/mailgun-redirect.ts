import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The seed posts to the hard-coded https://api.mailgun.net with `requests`. Without editing it, a
 * `sitecustomize.py` (imported by every Python process that has its directory on PYTHONPATH) wraps
 * `requests.Session.request`, which `requests.post` goes through, and rewrites that prefix to
 * $BENCH_MAILGUN_URL (the fake Mailgun). Returns the directory to put first on PYTHONPATH.
 */
const SITECUSTOMIZE = `# Written by subtracker bench/lib/mailgun-redirect.ts: the seed's Mailgun calls go to a local fake.
import os

_TARGET = os.environ.get("BENCH_MAILGUN_URL", "").rstrip("/")
_PREFIX = "https://api.mailgun.net"

if _TARGET:
    try:
        import requests.sessions
    except ImportError:
        pass
    else:
        _original_request = requests.sessions.Session.request

        def _redirected_request(self, method, url, *args, **kwargs):
            if isinstance(url, str) and url.startswith(_PREFIX):
                url = _TARGET + url[len(_PREFIX):]
            return _original_request(self, method, url, *args, **kwargs)

        requests.sessions.Session.request = _redirected_request
`;

export function writeMailgunRedirect(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-seed-site-'));
  fs.writeFileSync(path.join(dir, 'sitecustomize.py'), SITECUSTOMIZE);
  return dir;
}
