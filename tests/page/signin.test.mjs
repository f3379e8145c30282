// Sign-in, reload and sign-out through the page in headless Chromium against mock-twitch, at
// the root and at a GitHub-Pages-like sub-path.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  DEFAULT_USER,
  MOCK,
  MOCK_CLIENT_ID,
  PAGE_PATHS,
  STATUS,
  clearMockRequests,
  launchBrowser,
  mockRequests,
  newPage,
  resetMock,
  signIn,
  storedAccessToken,
  textOf,
  waitForMockRequest,
  waitForStatus,
  waitForText,
  watchContext,
} from './helpers.mjs';

/** Time limit of one test, in milliseconds. A wait inside fails sooner, with a clearer message. */
const TEST_TIMEOUT_MS = 120_000;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Asserts that every http(s) or WebSocket request went to the mock's origin. */
function assertOnlyMockOrigin(requestUrls) {
  const mockOrigin = new URL(MOCK).origin;
  for (const url of requestUrls) {
    const parsed = new URL(url);
    if (['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) {
      assert.equal(parsed.origin, mockOrigin, `request to another origin: ${url}`);
    }
  }
}

/** Asserts that no console message or page error contains the token; failures show it redacted. */
function assertNoTokenInConsole(consoleTexts, token) {
  for (const text of consoleTexts) {
    const redacted = text.replaceAll(token, '[access token]');
    assert.ok(!text.includes(token), `console message contains the access token: ${redacted}`);
  }
}

for (const path of PAGE_PATHS) {
  const address = `${MOCK}${path}`;

  describe(`page at ${path}`, () => {
    test('sign in, reload, sign out', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      await resetMock();
      const { context, page } = await newPage(browser);
      t.after(() => context.close());
      const seen = watchContext(context);

      await page.goto(address);
      await waitForStatus(page, STATUS.signedOut);

      await signIn(page);
      assert.equal(await textOf(page, 'user-login'), DEFAULT_USER.login);
      assert.equal(await textOf(page, 'user-display-name'), DEFAULT_USER.displayName);
      // No token, state or error parameters left in the address bar.
      assert.equal(page.url(), address);
      const token = await storedAccessToken(page);
      assert.ok(token, 'no access token in localStorage after sign-in');

      await clearMockRequests();
      await page.reload();
      await waitForStatus(page, STATUS.signedIn);
      await waitForText(page, 'user-display-name', DEFAULT_USER.displayName);
      assert.equal(await textOf(page, 'user-login'), DEFAULT_USER.login);
      const afterReload = await mockRequests();
      const validations = afterReload.filter(
        (request) => request.method === 'GET' && request.path === '/oauth2/validate',
      );
      assert.equal(validations.length, 1, 'expected one token validation per page load');
      assert.equal(validations[0].auth_scheme, 'OAuth');
      assert.equal(validations[0].client_id ?? null, null, 'validate must not send Client-Id');
      const helixCalls = afterReload.filter(
        (request) => request.method !== 'OPTIONS' && request.path.startsWith('/helix/'),
      );
      assert.ok(helixCalls.length > 0, 'expected a Helix call for the user after reload');
      for (const call of helixCalls) {
        assert.equal(call.auth_scheme, 'Bearer', `${call.method} ${call.path} auth scheme`);
        assert.equal(call.client_id, MOCK_CLIENT_ID, `${call.method} ${call.path} Client-Id`);
      }

      await clearMockRequests();
      await page.getByTestId('logout-button').click();
      await waitForStatus(page, STATUS.signedOut);
      await waitForMockRequest(
        (request) => request.method === 'POST' && request.path === '/oauth2/revoke',
        'POST /oauth2/revoke after sign-out',
      );
      assert.equal(await storedAccessToken(page), null, 'token still stored after sign-out');

      await clearMockRequests();
      await page.reload();
      await waitForStatus(page, STATUS.signedOut);
      const afterSignOut = await mockRequests();
      assert.equal(
        afterSignOut.filter((request) => request.path === '/oauth2/validate').length,
        0,
        'a signed-out page load must not validate a token',
      );

      assertNoTokenInConsole(seen.consoleTexts, token);
      assertOnlyMockOrigin(seen.requestUrls);
    });

    test('cancel on consent page', { timeout: TEST_TIMEOUT_MS }, async (t) => {
      await resetMock();
      const { context, page } = await newPage(browser);
      t.after(() => context.close());
      const seen = watchContext(context);

      await page.goto(address);
      await waitForStatus(page, STATUS.signedOut);
      await page.getByTestId('login-button').click();
      await page.getByTestId('cancel-button').click();

      await page.getByTestId('error-message').filter({ hasText: /cancel/i }).waitFor();
      assert.match(await textOf(page, 'error-message'), /cancel/i);
      await waitForStatus(page, STATUS.signedOut);
      assert.equal(page.url(), address);
      assert.equal(await storedAccessToken(page), null);

      assertOnlyMockOrigin(seen.requestUrls);
    });
  });
}
