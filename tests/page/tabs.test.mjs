// Two tabs of one browser context, which share localStorage: sign-in and logout reach the
// other tab through the storage event, and a refresh due in both tabs at once makes one
// refresh request.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

import {
  DEFAULT_USER,
  MOCK,
  SESSION_KEY,
  STATUS,
  WAIT_MS,
  clearMockRequests,
  launchBrowser,
  mockRequests,
  newPage,
  postMock,
  resetMock,
  signInWithDevice,
  storedSession,
  textOf,
  waitForMockRequest,
  waitForStatus,
  waitForText,
} from './helpers.mjs';

/** Time limit of one test, in milliseconds. A wait inside fails sooner, with a clearer message. */
const TEST_TIMEOUT_MS = 60_000;

/** Time in which a change in one tab must show in the other, in milliseconds: one second. */
const CROSS_TAB_MS = 1_000;

/**
 * Token lifetime that the mock reports at validation, in seconds. It is 2 s over the page's
 * refresh margin of 5 minutes, so a device session refreshes through its keeper timer and
 * not right after the validation at load.
 */
const NEAR_EXPIRY_SECONDS = 302;

/**
 * Delay that the mock adds to one request to put the tabs in a set order, in milliseconds.
 * The other tab's page load, validation and refresh against the local mock take well
 * under a second.
 */
const ORDERING_DELAY_MS = 3_000;

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Waits until the page's `session-status` has `data-status` = `status`. */
function waitForDataStatus(page, status, timeout = WAIT_MS) {
  return page.waitForSelector(`[data-testid="session-status"][data-status="${status}"]`, {
    timeout,
  });
}

/** Marks the page's document, so `wasReloaded` can tell whether it was loaded again. */
function markDocument(page) {
  return page.evaluate(() => {
    window.loadedBeforeTest = true;
  });
}

function wasReloaded(page) {
  return page.evaluate(() => window.loadedBeforeTest !== true);
}

/**
 * Counts the page's requests that have not finished yet. `idle()` resolves once none is
 * pending, and `urls` lists every request's URL in the order they were sent.
 */
function trackRequests(page) {
  const tracked = { pending: 0, urls: [] };
  page.on('request', (request) => {
    tracked.pending += 1;
    tracked.urls.push(request.url());
  });
  const settle = () => {
    tracked.pending -= 1;
  };
  page.on('requestfinished', settle);
  page.on('requestfailed', settle);
  tracked.idle = async () => {
    const deadline = Date.now() + WAIT_MS;
    while (tracked.pending > 0) {
      if (Date.now() > deadline) {
        throw new Error(`${tracked.pending} requests of the page still pending after ${WAIT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return tracked;
}

/** Waits until the page's stored access token differs from `oldToken`, then returns it. */
async function waitForNewToken(page, oldToken) {
  const handle = await page.waitForFunction(
    ([key, old]) => {
      const token = JSON.parse(localStorage.getItem(key) ?? 'null')?.access_token;
      return token && token !== old ? token : null;
    },
    [SESSION_KEY, oldToken],
    { timeout: WAIT_MS },
  );
  return handle.jsonValue();
}

test('sign-in and logout reach other tab', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await resetMock();
  const { context, page: tabA } = await newPage(browser);
  t.after(() => context.close());
  const tabB = await context.newPage();

  await tabA.goto(`${MOCK}/`);
  await waitForStatus(tabA, STATUS.signedOut);
  await tabB.goto(`${MOCK}/`);
  await waitForDataStatus(tabB, 'signed_out');
  await markDocument(tabB);

  // The same steps as signIn(), but tab B's time limit starts when tab A shows the session.
  await tabA.getByTestId('login-button').click();
  await tabA.getByTestId('authorize-button').click();
  await waitForDataStatus(tabA, 'signed_in');
  await waitForDataStatus(tabB, 'signed_in', CROSS_TAB_MS);
  assert.equal(await wasReloaded(tabB), false, 'tab B was reloaded');
  assert.equal(await textOf(tabB, 'session-status'), STATUS.signedIn);
  assert.equal(await textOf(tabB, 'user-login'), DEFAULT_USER.login);
  assert.equal(await textOf(tabB, 'session-flow'), 'implicit');
  await waitForText(tabB, 'user-display-name', DEFAULT_USER.displayName);

  const requestsOfB = trackRequests(tabB);
  await clearMockRequests();
  await tabA.getByTestId('logout-button').click();
  await waitForStatus(tabA, STATUS.signedOut);
  await waitForDataStatus(tabB, 'signed_out', CROSS_TAB_MS);
  assert.equal(await wasReloaded(tabB), false, 'tab B was reloaded');
  assert.equal(await textOf(tabB, 'user-login'), '–');
  assert.equal(await tabB.getByTestId('profile').isHidden(), true);

  // A user coming back to tab B fires its focus and visibility checks, which must not use
  // the revoked token either. Headless pages are always visible and focused, so the test
  // dispatches both events itself.
  await waitForMockRequest(
    (request) => request.method === 'POST' && request.path === '/oauth2/revoke',
    'POST /oauth2/revoke after logout',
  );
  await tabB.evaluate(() => {
    window.dispatchEvent(new Event('focus'));
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await requestsOfB.idle();
  assert.equal(await textOf(tabB, 'session-status'), STATUS.signedOut);

  const requests = await mockRequests();
  const revokeIndex = requests.findIndex(
    (request) => request.method === 'POST' && request.path === '/oauth2/revoke',
  );
  assert.equal(requests[revokeIndex].status, 200, 'revoke failed');
  const rejected = requests
    .slice(revokeIndex + 1)
    .filter(
      (request) =>
        request.method === 'GET' && request.path === '/helix/users' && request.status === 401,
    );
  assert.deepEqual(rejected, [], 'a tab sent GET /helix/users with the revoked token');
  const helixFromB = requestsOfB.urls.filter((url) => new URL(url).pathname.startsWith('/helix/'));
  assert.deepEqual(helixFromB, [], 'tab B called Helix after logout');
});

/** Resets the mock and opens signed-out tab A in a new context that `t` closes. */
async function openFirstTab(t) {
  await resetMock();
  await postMock('/_mock/device/settings', { interval: 1, expires_in: 60 });
  const { context, page: tabA } = await newPage(browser);
  t.after(() => context.close());
  await tabA.goto(`${MOCK}/`);
  await waitForStatus(tabA, STATUS.signedOut);
  return tabA;
}

/**
 * Signs in through the device flow in tab A, then opens tab B, which restores the session.
 * Returns tab B and the session record both tabs share.
 */
async function signInAndOpenSecondTab(tabA) {
  await signInWithDevice(tabA);
  const tabB = await tabA.context().newPage();
  await tabB.goto(`${MOCK}/`);
  await waitForDataStatus(tabB, 'signed_in');
  await waitForText(tabB, 'user-display-name', DEFAULT_USER.displayName);

  const session = await storedSession(tabA);
  assert.ok(session?.access_token, 'no access token in tab A after device sign-in');
  assert.ok(session.refresh_token, 'no refresh token in tab A after device sign-in');
  return { tabB, session };
}

/** Opens two tabs that share a device session. */
async function openTwoDeviceSessionTabs(t) {
  const tabA = await openFirstTab(t);
  const { tabB, session } = await signInAndOpenSecondTab(tabA);
  return { tabA, tabB, session };
}

/**
 * Waits until both tabs show a signed-in session that stores an access token other than
 * `oldToken`, or until either tab is signed out, so a test can assert either outcome.
 */
async function waitForRefreshOutcome(tabA, tabB, oldToken) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const tabs = await Promise.all(
      [tabA, tabB].map(async (tab) => ({
        status: await tab.getByTestId('session-status').getAttribute('data-status'),
        token: (await storedSession(tab))?.access_token ?? null,
      })),
    );
    const refreshed = tabs.every(
      ({ status, token }) => status === 'signed_in' && token && token !== oldToken,
    );
    if (refreshed || tabs.some(({ status }) => status === 'signed_out')) return;
    if (Date.now() > deadline) {
      const statuses = tabs.map((tab) => tab.status).join(', ');
      throw new Error(`neither a refresh nor a sign-out within ${WAIT_MS} ms, statuses ${statuses}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Asserts that the mock issued exactly one token pair and that both tabs are signed in and
 * store it, in place of `oldSession`'s pair.
 */
async function assertRefreshedOnce(tabA, tabB, oldSession) {
  const requests = await mockRequests();
  const refreshes = requests.filter(
    (request) => request.method === 'POST' && request.path === '/oauth2/token',
  );
  assert.deepEqual(
    refreshes.map((request) => request.status),
    [200],
    'expected one successful POST /oauth2/token for both tabs',
  );

  for (const [name, tab] of [['A', tabA], ['B', tabB]]) {
    assert.equal(
      await tab.getByTestId('session-status').getAttribute('data-status'),
      'signed_in',
      `tab ${name} status`,
    );
  }
  const sessionOfA = await storedSession(tabA);
  const sessionOfB = await storedSession(tabB);
  assert.ok(sessionOfA?.access_token, 'tab A stores no access token');
  assert.notEqual(sessionOfA.access_token, oldSession.access_token, 'tab A kept the old token');
  assert.notEqual(sessionOfA.refresh_token, oldSession.refresh_token, 'tab A kept the old refresh token');
  assert.equal(sessionOfB?.access_token, sessionOfA.access_token, 'the tabs store different tokens');
  return requests;
}

test('refresh once across tabs', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { tabA, tabB, session } = await openTwoDeviceSessionTabs(t);

  // Both tabs validate the old token at load and see 302 s left, which is not yet due. Their
  // keeper timers then come due together about 2 s later.
  await postMock('/_mock/tokens/set-expiry', {
    token: session.access_token,
    expires_in: NEAR_EXPIRY_SECONDS,
  });
  await clearMockRequests();
  await Promise.all([tabA.reload(), tabB.reload()]);
  await Promise.all([
    waitForNewToken(tabA, session.access_token),
    waitForNewToken(tabB, session.access_token),
  ]);
  await waitForDataStatus(tabA, 'signed_in');
  await waitForDataStatus(tabB, 'signed_in');

  const requests = await assertRefreshedOnce(tabA, tabB, session);
  const refreshIndex = requests.findIndex((request) => request.path === '/oauth2/token');
  const validationsBefore = requests
    .slice(0, refreshIndex)
    .filter((request) => request.method === 'GET' && request.path === '/oauth2/validate');
  assert.equal(validationsBefore.length, 2, 'expected both tabs to validate the old token at load');
});

test(
  'refresh at load during validation',
  {
    timeout: TEST_TIMEOUT_MS,
  },
  async (t) => {
    const { tabA, tabB, session } = await openTwoDeviceSessionTabs(t);

    // Under the refresh margin, so each tab refreshes right after its load validation.
    await postMock('/_mock/tokens/set-expiry', { token: session.access_token, expires_in: 240 });
    // Delays tab A's validation until tab B has validated, refreshed and stored a new pair.
    await postMock('/_mock/faults', {
      path: '/oauth2/validate',
      kind: 'delay',
      delay_ms: ORDERING_DELAY_MS,
    });
    await clearMockRequests();

    const validationOfA = tabA.waitForRequest(
      (request) => new URL(request.url()).pathname === '/oauth2/validate',
    );
    await tabA.reload({ waitUntil: 'commit' });
    await validationOfA;
    await tabB.reload();
    await waitForRefreshOutcome(tabA, tabB, session.access_token);

    await assertRefreshedOnce(tabA, tabB, session);
  },
);

test('refresh called in both tabs at once', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const tabA = await openFirstTab(t);
  const hasHook = await tabA.evaluate(() => typeof window.twitchAuthDemo?.refresh === 'function');
  assert.ok(hasHook, 'the page exposes window.twitchAuthDemo');
  const { tabB, session } = await signInAndOpenSecondTab(tabA);

  // Delays the first refresh, so the other tab calls refresh() before a new pair is stored.
  await postMock('/_mock/faults', {
    path: '/oauth2/token',
    kind: 'delay',
    delay_ms: ORDERING_DELAY_MS,
  });
  await clearMockRequests();
  const refresh = () => window.twitchAuthDemo.refresh().then((state) => state.status);
  const statuses = await Promise.all([tabA.evaluate(refresh), tabB.evaluate(refresh)]);

  assert.deepEqual(statuses, ['signed_in', 'signed_in']);
  await assertRefreshedOnce(tabA, tabB, session);
});
