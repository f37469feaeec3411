/**
 * Source of the Postman collection: `npx tsx postman/build-collection.ts` writes
 * postman/subtracker.postman_collection.json. Requests run in the order a newcomer would go; their scripts
 * store tokens and ids in collection variables and assert status and shape. No fixed ids or personal data:
 * every run registers a fresh user with a random address.
 */
import fs from 'node:fs';
import path from 'node:path';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Step {
  name: string;
  method: Method;
  /** Path after {{baseUrl}}, with {{variables}}. */
  url: string;
  /** Which token goes in Authorization: none, the access token, the refresh token, or the personal API token. */
  auth?: 'access' | 'refresh' | 'apiToken' | 'none';
  body?: unknown;
  /** Pre-request script lines. */
  pre?: string[];
  /** Test script lines; `status(n)` and `json` are available. */
  tests: string[];
}
interface Folder {
  name: string;
  steps: Step[];
}

const status = (...codes: number[]) =>
  codes.length === 1
    ? `pm.test('status is ${codes[0]}', () => pm.response.to.have.status(${codes[0]}));`
    : `pm.test('status is one of ${codes.join(', ')}', () => pm.expect([${codes.join(', ')}]).to.include(pm.response.code));`;
const has = (...fields: string[]) =>
  `pm.test('has ${fields.join(', ')}', () => { const j = pm.response.json(); ${fields
    .map((f) => `pm.expect(j).to.have.property('${f}');`)
    .join(' ')} });`;
const envelope = (code: number, error?: string) => [
  status(code),
  `pm.test('error envelope', () => { const j = pm.response.json(); pm.expect(j.code).to.eql(${code}); pm.expect(j.message).to.be.a('string');${
    error ? ` pm.expect(j.error).to.eql('${error}');` : ''
  } });`,
];
const isArray = `pm.test('is an array', () => pm.expect(pm.response.json()).to.be.an('array'));`;
const save = (variable: string, expr: string) => `pm.collectionVariables.set('${variable}', ${expr});`;

const folders: Folder[] = [
  {
    name: '1. Health and contract',
    steps: [
      { name: 'Liveness', method: 'GET', url: '/healthz', auth: 'none', tests: [status(200), has('status')] },
      {
        name: 'Readiness',
        method: 'GET',
        url: '/readyz',
        auth: 'none',
        tests: [status(200, 503), has('status', 'checks')],
      },
      {
        name: 'Guest (developer)',
        method: 'GET',
        url: '/guest',
        auth: 'none',
        tests: [status(200), has('message')],
      },
      {
        name: 'Echo validates a body (developer)',
        method: 'POST',
        url: '/dev/echo',
        auth: 'none',
        body: { name: 'postman', date: '2025-02-31' },
        tests: envelope(422, 'validation_failed'),
      },
    ],
  },
  {
    name: '2. Register and log in',
    steps: [
      {
        name: 'Register',
        method: 'POST',
        url: '/register',
        auth: 'none',
        pre: [
          'const tag = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);',
          save('email', '`newcomer-${tag}@example.com`'),
          save('username', '`newcomer-${tag}`'),
          save('password', '`pw-${tag}-Secret!`'),
        ],
        body: { username: '{{username}}', email: '{{email}}', password: '{{password}}' },
        tests: [status(201), has('message', 'user'), save('userId', 'pm.response.json().user.id')],
      },
      {
        name: 'Register the same email again',
        method: 'POST',
        url: '/register',
        auth: 'none',
        body: { username: '{{username}}', email: '{{email}}', password: '{{password}}' },
        tests: envelope(409, 'email_taken'),
      },
      {
        name: 'Log in with a wrong password',
        method: 'POST',
        url: '/login',
        auth: 'none',
        body: { email: '{{email}}', password: 'not-the-password' },
        tests: envelope(401, 'invalid_credentials'),
      },
      {
        name: 'Log in',
        method: 'POST',
        url: '/login',
        auth: 'none',
        body: { email: '{{email}}', password: '{{password}}' },
        tests: [
          status(200),
          has('access_token', 'refresh_token'),
          save('accessToken', 'pm.response.json().access_token'),
          save('refreshToken', 'pm.response.json().refresh_token'),
        ],
      },
      {
        name: 'Protected (developer)',
        method: 'GET',
        url: '/protected',
        tests: [status(200), has('message')],
      },
      {
        name: 'Fresh-protected (developer)',
        method: 'GET',
        url: '/fresh-protected',
        tests: [status(200), has('message')],
      },
      {
        name: 'Without a token',
        method: 'GET',
        url: '/users/me',
        auth: 'none',
        tests: envelope(401, 'authorization_required'),
      },
    ],
  },
  {
    name: '3. Your account',
    steps: [
      {
        name: 'Me',
        method: 'GET',
        url: '/users/me',
        tests: [status(200), has('id', 'email', 'timezone', 'reminder_offsets', 'currency')],
      },
      {
        name: 'Settings: timezone, reminder hour and offsets',
        method: 'PATCH',
        url: '/users/me',
        body: { timezone: 'Europe/Berlin', reminder_hour: 8, reminder_offsets: [3, 1], currency: 'EUR' },
        tests: [
          status(200),
          "pm.test('settings saved', () => { const j = pm.response.json(); pm.expect(j.timezone).to.eql('Europe/Berlin'); pm.expect(j.reminder_offsets).to.eql([3, 1]); });",
        ],
      },
      {
        name: 'An unknown timezone is refused',
        method: 'PATCH',
        url: '/users/me',
        body: { timezone: 'Mars/Olympus_Mons' },
        tests: envelope(422),
      },
      {
        name: 'Send the verification email again',
        method: 'POST',
        url: '/users/me/verification',
        tests: [status(202, 200, 409, 429)],
      },
      {
        name: 'Verify with a bad token',
        method: 'POST',
        url: '/verify-email',
        auth: 'none',
        body: { token: 'not-a-token' },
        tests: [status(400, 401, 422)],
      },
      {
        name: 'Verify from the email link with a bad token',
        method: 'GET',
        url: '/verify-email?token=not-a-token',
        auth: 'none',
        tests: [status(400, 401, 422)],
      },
      { name: 'Sessions', method: 'GET', url: '/users/me/sessions', tests: [status(200), isArray] },
      {
        name: 'Add a webhook channel (its secret is shown once)',
        method: 'POST',
        url: '/users/me/channels',
        body: { type: 'webhook', name: 'Postman', settings: { url: 'https://example.com/hooks/subtracker' } },
        tests: [status(201), has('id', 'secret', 'settings'), save('channelId', 'pm.response.json().id')],
      },
      { name: 'Channels', method: 'GET', url: '/users/me/channels', tests: [status(200), isArray] },
      {
        name: 'One channel (no secret)',
        method: 'GET',
        url: '/users/me/channels/{{channelId}}',
        tests: [
          status(200),
          `pm.test('no secret', () => pm.expect(pm.response.json()).to.not.have.property('secret'));`,
        ],
      },
      {
        name: 'Send a test message through a channel (202 with its workflow id)',
        method: 'POST',
        url: '/users/me/channels/{{channelId}}/test',
        tests: [status(202), has('workflow_id')],
      },
      {
        name: "Rotate a webhook's signing secret (the new one is shown once)",
        method: 'POST',
        url: '/users/me/channels/{{channelId}}/rotate-secret',
        tests: [status(200), has('secret', 'previous_secret_expires_at')],
      },
      {
        name: 'Change a channel',
        method: 'PATCH',
        url: '/users/me/channels/{{channelId}}',
        body: { events: ['reminder', 'report'], enabled: false },
        tests: [status(200), has('events', 'enabled')],
      },
      {
        name: 'A link-local webhook URL is refused',
        method: 'POST',
        url: '/users/me/channels',
        body: { type: 'webhook', settings: { url: 'http://169.254.169.254/latest/meta-data' } },
        tests: envelope(422),
      },
      {
        name: 'Delete a channel',
        method: 'DELETE',
        url: '/users/me/channels/{{channelId}}',
        tests: [status(200), has('message')],
      },
    ],
  },
  {
    name: '4. Subscriptions',
    steps: [
      {
        name: 'Create a monthly subscription',
        method: 'POST',
        url: '/subscriptions',
        pre: [save('subName', '`Streaming ${Math.random().toString(36).slice(2, 8)}`')],
        body: {
          name: '{{subName}}',
          price: '12.99',
          currency: 'EUR',
          billing_cycle: 'monthly',
          next_payment_date: '{{nextMonth}}',
          category: 'entertainment',
        },
        tests: [
          status(201),
          has(
            'id',
            'name',
            'price',
            'billing_cycle',
            'next_payment_date',
            'anchor_date',
            'monthly_equivalent',
          ),
          "pm.test('price is a decimal string', () => pm.expect(pm.response.json().price).to.eql('12.99'));",
          save('subscriptionId', 'pm.response.json().id'),
        ],
      },
      {
        name: 'Create a yearly subscription',
        method: 'POST',
        url: '/subscriptions',
        body: {
          name: 'Insurance {{subName}}',
          price: 240,
          currency: 'EUR',
          billing_cycle: 'yearly',
          next_payment_date: '{{nextMonth}}',
          category: 'insurance',
        },
        tests: [
          status(201),
          "pm.test('monthly equivalent is a twelfth', () => pm.expect(pm.response.json().monthly_equivalent).to.eql('20.00'));",
        ],
      },
      {
        name: 'The same name again is a conflict',
        method: 'POST',
        url: '/subscriptions',
        body: {
          name: '{{subName}}',
          price: '1.00',
          billing_cycle: 'monthly',
          next_payment_date: '{{nextMonth}}',
        },
        tests: envelope(409, 'name_taken'),
      },
      {
        name: 'An impossible date is refused',
        method: 'POST',
        url: '/subscriptions',
        body: { name: 'Bad date', price: '1.00', billing_cycle: 'monthly', next_payment_date: '2025-02-31' },
        tests: envelope(422),
      },
      {
        name: 'List',
        method: 'GET',
        url: '/subscriptions?per_page=10&sort=-price',
        tests: [
          status(200),
          isArray,
          "pm.test('X-Total-Count', () => pm.expect(Number(pm.response.headers.get('X-Total-Count'))).to.be.at.least(2));",
        ],
      },
      {
        name: 'Get one',
        method: 'GET',
        url: '/subscriptions/{{subscriptionId}}',
        tests: [status(200), has('id', 'name')],
      },
      {
        name: 'Replace fields (PUT, partial as in the seed)',
        method: 'PUT',
        url: '/subscriptions/{{subscriptionId}}',
        body: { price: '13.99', notes: 'family plan' },
        tests: [
          status(200),
          "pm.test('price updated', () => pm.expect(pm.response.json().price).to.eql('13.99'));",
        ],
      },
      {
        name: 'Patch: clear the category, set reminder offsets',
        method: 'PATCH',
        url: '/subscriptions/{{subscriptionId}}',
        body: { category: null, reminder_offsets: [2] },
        tests: [
          status(200),
          "pm.test('category cleared', () => pm.expect(pm.response.json().category).to.eql(null));",
        ],
      },
      {
        name: 'Someone else’s id is not found',
        method: 'GET',
        url: '/subscriptions/999999999',
        tests: envelope(404),
      },
      {
        name: 'Export as JSON',
        method: 'GET',
        url: '/subscriptions/export?format=json',
        tests: [
          status(200),
          "pm.test('lists the subscriptions', () => pm.expect(pm.response.json().subscriptions.length).to.be.above(0));",
        ],
      },
      {
        name: 'Export as CSV',
        method: 'GET',
        url: '/subscriptions/export?format=csv',
        tests: [
          status(200),
          "pm.test('starts with the header', () => pm.expect(pm.response.text()).to.match(/^name,price,currency,/));",
        ],
      },
      {
        name: 'Import a Wallos JSON export',
        method: 'POST',
        url: '/subscriptions/import',
        body: {
          success: true,
          subscriptions: [
            {
              Name: 'Imported from Wallos',
              'Payment Cycle': 'Every 3 Months',
              'Next Payment': '2030-01-15',
              Category: 'Entertainment',
              Price: '€8.99',
              Notes: '',
              URL: 'https://example.com',
              State: 'Enabled',
              Notifications: 'Enabled',
              Active: 'Yes',
            },
          ],
        },
        tests: [
          status(202),
          has('import_id', 'workflow_id'),
          save('importId', 'pm.response.json().import_id'),
        ],
      },
      {
        name: 'The import report',
        method: 'GET',
        url: '/imports/{{importId}}',
        tests: [
          status(200),
          has('status', 'created', 'duplicates', 'errors'),
          "pm.test('counts the one row', () => pm.expect(pm.response.json().total_rows).to.eql(1));",
        ],
      },
      {
        name: 'Create the calendar-feed URL',
        method: 'POST',
        url: '/users/me/calendar-feed',
        tests: [status(201), has('url'), save('feedToken', "pm.response.json().url.split('/').pop()")],
      },
      {
        name: 'The calendar feed (no login)',
        method: 'GET',
        url: '/calendar-feeds/{{feedToken}}',
        auth: 'none',
        tests: [
          status(200),
          "pm.test('is a calendar', () => pm.expect(pm.response.text()).to.include('BEGIN:VCALENDAR'));",
          "pm.test('has an ETag', () => pm.expect(pm.response.headers.get('ETag')).to.be.a('string'));",
        ],
      },
      {
        name: 'Revoke the calendar feed',
        method: 'DELETE',
        url: '/users/me/calendar-feed',
        tests: [status(200), has('message')],
      },
      {
        name: 'A revoked calendar feed is gone',
        method: 'GET',
        url: '/calendar-feeds/{{feedToken}}',
        auth: 'none',
        tests: envelope(404, 'calendar_feed_not_found'),
      },
    ],
  },
  {
    name: '5. Upcoming, stats, payments, logs',
    steps: [
      {
        name: 'Upcoming payments in 60 days',
        method: 'GET',
        url: '/reminders/upcoming?days=60',
        tests: [
          status(200),
          isArray,
          "pm.test('items carry due_date and reminders', () => { const j = pm.response.json(); pm.expect(j.length).to.be.at.least(1); pm.expect(j[0]).to.have.property('due_date'); pm.expect(j[0].reminders).to.be.an('array'); });",
        ],
      },
      {
        name: 'Stats for next month',
        method: 'GET',
        url: '/stats/summary?month={{nextMonthYm}}',
        tests: [
          status(200),
          has(
            'month',
            'currency',
            'total_spent',
            'by_category',
            'charges_count',
            'source',
            'by_currency',
            'home_total',
          ),
        ],
      },
      {
        name: 'Stats for an invalid month',
        method: 'GET',
        url: '/stats/summary?month=2025-13',
        tests: envelope(422),
      },
      {
        name: 'Payments of a subscription',
        method: 'GET',
        url: '/subscriptions/{{subscriptionId}}/payments',
        tests: [status(200), isArray],
      },
      {
        name: 'Payments of this month',
        method: 'GET',
        url: '/payments?month={{thisMonthYm}}',
        tests: [status(200), isArray],
      },
      {
        name: 'Reminder logs of a subscription',
        method: 'GET',
        url: '/subscriptions/{{subscriptionId}}/reminder_logs',
        tests: [status(200), isArray],
      },
      {
        name: 'An unknown reminder log',
        method: 'GET',
        url: '/reminder_logs/999999999',
        tests: envelope(404),
      },
      {
        name: 'Delete an unknown reminder log',
        method: 'DELETE',
        url: '/reminder_logs/999999999',
        tests: envelope(404),
      },
      {
        name: 'Send a test reminder (developer; 409 until the address is verified)',
        method: 'POST',
        url: '/reminders/send-test',
        body: { subscription_id: '{{#subscriptionId}}' },
        tests: [status(202, 409)],
      },
      {
        name: 'Send a test monthly report (developer; 409 until the address is verified)',
        method: 'POST',
        url: '/stats/send-test',
        body: { month: '{{thisMonthYm}}' },
        tests: [status(202, 409)],
      },
    ],
  },
  {
    name: '6. Tokens and sessions',
    steps: [
      {
        name: 'Refresh',
        method: 'POST',
        url: '/refresh',
        auth: 'refresh',
        tests: [
          status(200),
          has('access_token'),
          save('accessToken', 'pm.response.json().access_token'),
          "if (pm.response.json().refresh_token) pm.collectionVariables.set('refreshToken', pm.response.json().refresh_token);",
        ],
      },
      {
        name: 'A refreshed token is not fresh',
        method: 'GET',
        url: '/fresh-protected',
        tests: envelope(401, 'fresh_token_required'),
      },
      {
        name: 'Delete a subscription',
        method: 'DELETE',
        url: '/subscriptions/{{subscriptionId}}',
        tests: [status(200), has('message')],
      },
      { name: 'It is gone', method: 'GET', url: '/subscriptions/{{subscriptionId}}', tests: envelope(404) },
      {
        name: 'Admin endpoints need the admin role',
        method: 'GET',
        url: '/users/{{userId}}',
        tests: envelope(403),
      },
      {
        // Open under npm run dev (the dev Web UI decodes histories here); admin only elsewhere.
        name: 'Codec server: encrypt a Temporal payload',
        method: 'POST',
        url: '/codec/encode',
        body: {
          payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'eyJoZWxsbyI6IndvcmxkIn0=' }],
        },
        tests: [
          status(200),
          `pm.test('encrypted', () => pm.expect(atob(pm.response.json().payloads[0].metadata.encoding)).to.eql('binary/encrypted'));`,
          save('codecPayloads', 'JSON.stringify(pm.response.json().payloads)'),
        ],
      },
      {
        name: 'Codec server: decrypt it back',
        method: 'POST',
        url: '/codec/decode',
        body: { payloads: '{{#codecPayloads}}' },
        tests: [
          status(200),
          `pm.test('the original payload', () => pm.expect(pm.response.json().payloads[0].data).to.eql('eyJoZWxsbyI6IndvcmxkIn0='));`,
        ],
      },
      { name: 'Log out', method: 'POST', url: '/logout', tests: [status(200), has('message')] },
      {
        name: 'The access token is revoked',
        method: 'GET',
        url: '/users/me',
        tests: envelope(401, 'token_revoked'),
      },
      {
        name: 'So is the refresh token',
        method: 'POST',
        url: '/refresh',
        auth: 'refresh',
        tests: envelope(401, 'token_revoked'),
      },
    ],
  },
  {
    name: '7. Passwords, unsubscribe, leaving',
    steps: [
      {
        name: 'Forgot password (never tells whether the account exists)',
        method: 'POST',
        url: '/password/forgot',
        auth: 'none',
        body: { email: '{{email}}' },
        tests: [status(202)],
      },
      {
        name: "The reset email's link opens a form",
        method: 'GET',
        url: '/password/reset?token=bad',
        auth: 'none',
        tests: [
          status(200),
          `pm.test('is a form posting to /password/reset', () => pm.expect(pm.response.text()).to.include('<form method="post" action="/password/reset">'));`,
        ],
      },
      {
        name: 'Reset with a bad token',
        method: 'POST',
        url: '/password/reset',
        auth: 'none',
        body: { token: 'bad', new_password: 'another-Secret-1' },
        tests: [status(400, 401, 422)],
      },
      {
        name: 'Unsubscribe with a bad token',
        method: 'GET',
        url: '/unsubscribe?token=bad',
        auth: 'none',
        tests: [status(400, 401, 422)],
      },
      {
        name: 'One-click unsubscribe (RFC 8058 POST) with a bad token',
        method: 'POST',
        url: '/unsubscribe?token=bad',
        auth: 'none',
        tests: [status(401)],
      },
      {
        name: 'Log in again',
        method: 'POST',
        url: '/login',
        auth: 'none',
        body: { email: '{{email}}', password: '{{password}}' },
        tests: [
          status(200),
          save('accessToken', 'pm.response.json().access_token'),
          save('refreshToken', 'pm.response.json().refresh_token'),
        ],
      },
      {
        name: 'Change the password',
        method: 'POST',
        url: '/users/me/password',
        pre: [save('newPassword', "pm.collectionVariables.get('password') + '-2'")],
        body: { current_password: '{{password}}', new_password: '{{newPassword}}' },
        tests: [
          status(200),
          has('access_token', 'refresh_token'),
          save('accessToken', 'pm.response.json().access_token'),
          save('refreshToken', 'pm.response.json().refresh_token'),
          save('password', "pm.collectionVariables.get('newPassword')"),
        ],
      },
      {
        name: 'Sessions after the change',
        method: 'GET',
        url: '/users/me/sessions',
        tests: [status(200), isArray, save('sessionId', 'pm.response.json()[0].sid')],
      },
      {
        name: 'Create a read-only API token (fresh login)',
        method: 'POST',
        url: '/users/me/tokens',
        body: { name: 'postman', scopes: ['read'] },
        tests: [
          status(201),
          has('id', 'token', 'prefix', 'scopes'),
          save('apiToken', 'pm.response.json().token'),
          save('apiTokenId', 'pm.response.json().id'),
        ],
      },
      { name: 'List API tokens', method: 'GET', url: '/users/me/tokens', tests: [status(200), isArray] },
      {
        name: 'An API token reads',
        method: 'GET',
        url: '/subscriptions',
        auth: 'apiToken',
        tests: [status(200), isArray],
      },
      {
        name: 'A read-only API token cannot write',
        method: 'POST',
        url: '/subscriptions',
        auth: 'apiToken',
        body: { name: 'Nope', price: '1.00', billing_cycle: 'monthly', next_payment_date: '{{nextMonth}}' },
        tests: envelope(403, 'insufficient_scope'),
      },
      {
        name: 'An API token never reaches sessions',
        method: 'GET',
        url: '/users/me/sessions',
        auth: 'apiToken',
        tests: envelope(403, 'api_token_not_allowed'),
      },
      {
        name: 'Revoke the API token',
        method: 'DELETE',
        url: '/users/me/tokens/{{apiTokenId}}',
        tests: [status(200), has('message')],
      },
      {
        name: 'A revoked API token is refused',
        method: 'GET',
        url: '/subscriptions',
        auth: 'apiToken',
        tests: envelope(401, 'token_revoked'),
      },
      {
        name: 'Delete an unknown session',
        method: 'DELETE',
        url: '/users/me/sessions/00000000-0000-4000-8000-000000000000',
        tests: envelope(404),
      },
      {
        name: 'Admin: delete needs the admin role',
        method: 'DELETE',
        url: '/users/{{userId}}',
        tests: envelope(403),
      },
      { name: 'Delete my account', method: 'DELETE', url: '/users/me', tests: [status(200), has('message')] },
      {
        name: 'The account is gone',
        method: 'POST',
        url: '/login',
        auth: 'none',
        body: { email: '{{email}}', password: '{{password}}' },
        tests: envelope(401, 'invalid_credentials'),
      },
    ],
  },
];

/** JSON text of a body; a `"{{#name}}"` string becomes the bare variable `{{name}}` (a number, not a string). */
function rawBody(body: unknown): string {
  return JSON.stringify(body, null, 2).replace(/"\{\{#(\w+)\}\}"/g, '{{$1}}');
}

function request(step: Step) {
  const headers: { key: string; value: string }[] = [];
  const auth = step.auth ?? 'access';
  if (auth !== 'none')
    headers.push({
      key: 'Authorization',
      value: `Bearer {{${auth === 'access' ? 'accessToken' : auth === 'apiToken' ? 'apiToken' : 'refreshToken'}}}`,
    });
  if (step.body !== undefined) headers.push({ key: 'Content-Type', value: 'application/json' });
  const [pathPart, query] = step.url.split('?');
  return {
    name: step.name,
    event: [
      ...(step.pre ? [{ listen: 'prerequest', script: { type: 'text/javascript', exec: step.pre } }] : []),
      { listen: 'test', script: { type: 'text/javascript', exec: step.tests } },
    ],
    request: {
      method: step.method,
      header: headers,
      ...(step.body !== undefined
        ? {
            body: {
              mode: 'raw',
              raw: rawBody(step.body),
              options: { raw: { language: 'json' } },
            },
          }
        : {}),
      url: {
        raw: `{{baseUrl}}${step.url}`,
        host: ['{{baseUrl}}'],
        path: pathPart.split('/').filter(Boolean),
        ...(query
          ? {
              query: query.split('&').map((kv) => ({ key: kv.split('=')[0], value: kv.split('=')[1] ?? '' })),
            }
          : {}),
      },
    },
  };
}

/** Dates relative to the run, so the collection never goes stale. */
const datesScript = [
  'const pad = (n) => String(n).padStart(2, "0");',
  'const now = new Date();',
  'const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15));',
  "pm.collectionVariables.set('nextMonth', `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-15`);",
  "pm.collectionVariables.set('nextMonthYm', `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}`);",
  "pm.collectionVariables.set('thisMonthYm', `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1)}`);",
];

export function buildCollection() {
  return {
    info: {
      name: 'SubTracker',
      description:
        'Every SubTracker endpoint, in the order a newcomer would go. Set baseUrl in the environment; the scripts keep tokens and ids in collection variables.',
      schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json',
    },
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: datesScript } }],
    variable: [
      'accessToken',
      'refreshToken',
      'userId',
      'subscriptionId',
      'channelId',
      'email',
      'username',
      'password',
      'codecPayloads',
      'apiToken',
      'apiTokenId',
      'feedToken',
    ].map((key) => ({ key, value: '' })),
    item: folders.map((folder) => ({ name: folder.name, item: folder.steps.map(request) })),
  };
}

export const COLLECTION_PATH = path.join(__dirname, 'subtracker.postman_collection.json');

if (require.main === module) {
  fs.writeFileSync(COLLECTION_PATH, `${JSON.stringify(buildCollection(), null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), COLLECTION_PATH)}`);
}
