/**
 * Keeps live credentials out of logs. Emailed links (password reset, verification, unsubscribe) carry their
 * token in the query string, and a request line or an error message that quotes one would leak it to anyone
 * who reads the logs.
 */

export const REDACTED = '[redacted]';

/** Query keys whose value is a credential, whatever it looks like. */
const SECRET_KEY = /token|secret|password|passwd|signature|api_?key|^key$|^code$|^sig$|^auth/i;
/** A whole value of three base64url parts joined by dots: a JWT, signed or not. */
const JWT_WHOLE = /^[\w-]{8,}\.[\w-]{8,}\.[\w-]*$/;
/** A JWT inside free text: its JSON header encodes to `eyJ` (stricter, so file names in a stack survive). */
const JWT_IN_TEXT = /eyJ[\w-]+\.[\w-]+\.[\w-]*/g;
/** A credential-named parameter inside free text, e.g. an error message quoting a URL. */
const SECRET_PARAM_IN_TEXT =
  /([?&;](?:[\w-]*token|[\w-]*secret|[\w-]*password|signature|api_?key|key|code|sig)=)[^&\s"'<>]+/gi;

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/**
 * The URL with the value of every credential-named query parameter, and every JWT-looking path segment or
 * query value, replaced by `[redacted]`. Keys and the other values stay, so the line still says what was asked.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const pathPart = q === -1 ? url : url.slice(0, q);
  const path = pathPart
    .split('/')
    .map((segment) => (JWT_WHOLE.test(safeDecode(segment)) ? REDACTED : segment))
    .join('/');
  if (q === -1) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return JWT_WHOLE.test(safeDecode(pair)) ? REDACTED : pair;
      const key = safeDecode(pair.slice(0, eq));
      const value = safeDecode(pair.slice(eq + 1));
      return SECRET_KEY.test(key) || JWT_WHOLE.test(value) ? `${pair.slice(0, eq)}=${REDACTED}` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}

/** Free text (an error message or stack) with credential-named parameters and JWT-looking strings redacted. */
export function redactText(text: string): string {
  return text.replace(SECRET_PARAM_IN_TEXT, `$1${REDACTED}`).replace(JWT_IN_TEXT, REDACTED);
}
