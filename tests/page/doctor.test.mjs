// The page's "Why does my token fail?" panel in headless Chromium against mock-twitch: the
// findings for a Kraken request, a healthy token, a revoked token and the stored session, and
// that nothing typed into the panel is kept or printed.
//
// The request URLs typed into the panel name api.twitch.tv, as a user would paste them. The
// doctor only reads them, and `blockOtherOrigins` fails any request to an origin other than
// the mock's, which each test asserts never happened.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  MOCK,
  MOCK_CLIENT_ID,
  STATUS,
  blockOtherOrigins,
  launchBrowser,
  newPage,
  postMock,
  resetMock,
  runDoctor,
  signIn,
  waitForDoctorFindings,
  waitForStatus,
  watchContext,
} from './helpers.mjs';

/** Time limit of one test, in milliseconds. A wait inside fails sooner, with a clearer message. */
const TEST_TIMEOUT_MS = 60_000;

/** Helix's 401 body for an expired or revoked token. */
const INVALID_TOKEN_BODY = '{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Resets the mock and opens the signed-out page in a new context that `t` closes. Returns
 * the page, what the context printed (`seen`) and the URLs it tried on other origins.
 */
async function openPage(t) {
  await resetMock();
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  const blocked = await blockOtherOrigins(context);
  const seen = watchContext(context);
  await page.goto(`${MOCK}/`);
  await waitForStatus(page, STATUS.signedOut);
  await page.getByTestId('doctor-panel').waitFor({ state: 'visible' });
  return { context, page, seen, blocked };
}

/** Mints a live user access token for the page's client id at the mock. */
async function mintToken() {
  const minted = await postMock('/_mock/tokens', {
    client_id: MOCK_CLIENT_ID,
    login: 'twitchdev',
    scopes: ['user:read:email'],
  });
  return minted.access_token;
}

/** Returns the header lines of a correct Helix request with `token`. */
function helixHeaders(token) {
  return `Authorization: Bearer ${token}\nClient-Id: ${MOCK_CLIENT_ID}`;
}

test('doctor names removed Kraken API', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, blocked } = await openPage(t);
  const token = await mintToken();

  const findings = await runDoctor(page, {
    token,
    clientId: MOCK_CLIENT_ID,
    url: 'https://api.twitch.tv/kraken/user',
    headers: `Accept: application/vnd.twitchtv.v5+json\nAuthorization: OAuth ${token}\nClient-Id: ${MOCK_CLIENT_ID}`,
  });

  assert.deepEqual(
    findings.map((finding) => finding.code),
    ['kraken_removed', 'token_valid'],
  );
  assert.equal(findings[0].severity, 'error');
  assert.equal(findings[1].severity, 'ok');
  const evidence = await page.getByTestId('doctor-finding').first().locator('.finding-evidence').textContent();
  assert.match(evidence, /GET \/kraken\/user/);
  assert.equal(
    await page.getByTestId('doctor-state').getAttribute('data-state'),
    'problems',
  );
  assert.deepEqual(blocked, []);
});

test('doctor passes healthy Helix request', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, blocked } = await openPage(t);
  const token = await mintToken();

  const findings = await runDoctor(page, {
    token,
    clientId: MOCK_CLIENT_ID,
    method: 'GET',
    url: 'https://api.twitch.tv/helix/users',
    headers: helixHeaders(token),
  });

  assert.deepEqual(findings, [
    { severity: 'ok', code: 'token_valid', title: 'The token is valid' },
  ]);
  assert.equal(await page.getByTestId('doctor-state').getAttribute('data-state'), 'clean');
  assert.deepEqual(blocked, []);
});

test('doctor reports revoked token', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, blocked } = await openPage(t);
  const token = await mintToken();
  await postMock('/_mock/tokens/revoke', { token });

  const findings = await runDoctor(page, {
    token,
    clientId: MOCK_CLIENT_ID,
    url: 'https://api.twitch.tv/helix/users',
    headers: helixHeaders(token),
    status: '401',
    body: INVALID_TOKEN_BODY,
  });

  assert.deepEqual(
    findings.map((finding) => [finding.severity, finding.code]),
    [['error', 'token_invalid']],
  );
  assert.equal(findings[0].title, 'The token expired or was revoked');
  assert.deepEqual(blocked, []);
});

test('doctor checks stored session', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page, blocked } = await openPage(t);
  await signIn(page);

  await page.getByTestId('doctor-use-session').click();
  const findings = await waitForDoctorFindings(page);

  assert.equal(await page.getByTestId('doctor-use-session').getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByTestId('doctor-token').isDisabled(), true);
  assert.equal(await page.getByTestId('doctor-token').inputValue(), '');
  assert.equal(await page.getByTestId('doctor-client-id').inputValue(), MOCK_CLIENT_ID);
  assert.deepEqual(
    findings.filter((finding) => finding.severity === 'error'),
    [],
    'error findings for a fresh session',
  );
  assert.deepEqual(
    findings.map((finding) => [finding.severity, finding.code]),
    [['ok', 'token_valid']],
  );
  assert.deepEqual(blocked, []);
});

test('doctor keeps no typed input', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { context, page, seen, blocked } = await openPage(t);
  const token = await mintToken();

  const findings = await runDoctor(page, {
    token: `oauth:${token}`,
    clientId: MOCK_CLIENT_ID,
    url: 'https://api.twitch.tv/helix/users',
    headers: helixHeaders(token),
    status: '401',
    body: INVALID_TOKEN_BODY,
  });
  assert.ok(findings.length > 0, 'the doctor showed no findings');

  const stored = await page.evaluate(() => {
    const entries = (storage) =>
      Array.from({ length: storage.length }, (_, index) => {
        const key = storage.key(index);
        return `${key}=${storage.getItem(key)}`;
      });
    return { local: entries(localStorage), session: entries(sessionStorage) };
  });
  for (const [name, entries] of Object.entries(stored)) {
    const leaks = entries.filter((entry) => entry.includes(token));
    assert.equal(leaks.length, 0, `${name}Storage contains the typed token`);
  }
  const cookies = await context.cookies();
  assert.equal(cookies.filter((cookie) => cookie.value.includes(token)).length, 0);

  const consoleLeaks = seen.consoleTexts.filter((text) => text.includes(token));
  assert.equal(consoleLeaks.length, 0, 'a console message contains the typed token');
  const findingsText = await page.getByTestId('doctor-findings').textContent();
  assert.equal(findingsText.includes(token), false, 'a finding shows the typed token');
  assert.equal(page.url().includes(token), false, 'the address contains the typed token');
  assert.deepEqual(blocked, []);
});
