// Device code sign-in through the page in headless Chromium against mock-twitch: approval on
// the mock's activation page in a second page, denial, expiry and cancel.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  DEFAULT_USER,
  MOCK,
  STATUS,
  decideOnActivationPage,
  launchBrowser,
  newPage,
  postMock,
  resetMock,
  startDeviceSignIn,
  storedAccessToken,
  textOf,
  waitForStatus,
  waitForText,
} from './helpers.mjs';

/** Time limit of one test, in milliseconds. A wait inside fails sooner, with a clearer message. */
const TEST_TIMEOUT_MS = 60_000;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/**
 * Resets the mock, makes its device codes poll every second and live for `expiresIn`
 * seconds, and opens the signed-out page in a new context that `t` closes.
 */
async function openSignedOutPage(t, expiresIn) {
  await resetMock();
  await postMock('/_mock/device/settings', { interval: 1, expires_in: expiresIn });
  const { context, page } = await newPage(browser);
  t.after(() => context.close());
  await page.goto(`${MOCK}/`);
  await waitForStatus(page, STATUS.signedOut);
  return { context, page };
}

/** Waits for the page's error message and returns its `data-code`. */
async function waitForErrorCode(page) {
  const error = page.getByTestId('error-message');
  await error.waitFor({ state: 'visible' });
  return error.getAttribute('data-code');
}

test('device sign-in approved', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { context, page } = await openSignedOutPage(t, 60);

  const { userCode, activationUrl } = await startDeviceSignIn(page);
  assert.match(userCode, /^[A-Z]{8}$/, 'device code is not 8 capital letters');
  const link = new URL(activationUrl);
  assert.equal(link.origin, new URL(MOCK).origin);
  assert.equal(link.pathname, '/activate');
  assert.equal(link.searchParams.get('device-code'), userCode);
  assert.equal(await textOf(page, 'device-link'), `${link.origin}/activate`);

  const result = await decideOnActivationPage(context, activationUrl, 'approve');
  assert.equal(result, 'approved');

  await page.waitForSelector('[data-testid="session-status"][data-status="signed_in"]');
  assert.equal(await textOf(page, 'session-status'), STATUS.signedIn);
  assert.equal(await textOf(page, 'session-flow'), 'device');
  assert.equal(await textOf(page, 'user-login'), DEFAULT_USER.login);
  await waitForText(page, 'user-display-name', DEFAULT_USER.displayName);
  assert.equal(await textOf(page, 'user-display-name'), DEFAULT_USER.displayName);
  await page.getByTestId('device-panel').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('device-panel').isHidden(), true);
  assert.equal(await page.getByTestId('error-message').isHidden(), true);
  assert.ok(await storedAccessToken(page), 'no access token in localStorage after sign-in');
});

test('device sign-in denied', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { context, page } = await openSignedOutPage(t, 60);

  const { activationUrl } = await startDeviceSignIn(page);
  const result = await decideOnActivationPage(context, activationUrl, 'deny');
  assert.equal(result, 'denied');

  assert.equal(await waitForErrorCode(page), 'device_denied');
  await page.getByTestId('device-panel').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('session-status').getAttribute('data-status'), 'signed_out');
  assert.equal(await storedAccessToken(page), null);
});

test('device code expires', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await openSignedOutPage(t, 3);

  await startDeviceSignIn(page);

  assert.equal(await waitForErrorCode(page), 'device_code_expired');
  await page.getByTestId('device-panel').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('session-status').getAttribute('data-status'), 'signed_out');
  assert.equal(await storedAccessToken(page), null);
});

test('device sign-in cancelled', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { page } = await openSignedOutPage(t, 60);

  await startDeviceSignIn(page);
  await page.getByTestId('device-cancel-button').click();

  assert.equal(await waitForErrorCode(page), 'cancelled');
  await page.getByTestId('device-panel').waitFor({ state: 'hidden' });
  assert.equal(await page.getByTestId('session-status').getAttribute('data-status'), 'signed_out');
  assert.equal(await storedAccessToken(page), null);
});
