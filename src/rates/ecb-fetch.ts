/** Downloads an ECB rates document over HTTP; every failure is an Error naming the URL (the activity retries). */

/** Give up on one download after this long: the files are a few kilobytes. */
const FETCH_TIMEOUT_MS = 30_000;

export type FetchText = (url: string) => Promise<string>;

/** GET `url` and return its body; a non-2xx status, a timeout or a network error throws. */
export const fetchEcbDocument: FetchText = async (url) => {
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/xml, text/xml' },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(`ECB rates unreachable at ${url}: ${cause}`);
  }
  if (!res.ok) throw new Error(`ECB rates at ${url} answered HTTP ${res.status}`);
  return res.text();
};
