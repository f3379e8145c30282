// Shared setup of the page tests and the page benchmark: the browser, the page's texts and
// test ids, and the mock-twitch control API.

import { chromium } from 'playwright-core';

/** Base address of the running mock-twitch, such as `http://127.0.0.1:40123`. */
export const MOCK = (process.env.MOCK_TWITCH_URL ?? '').replace(/\/+$/, '');
if (!MOCK) {
  throw new Error(
    'MOCK_TWITCH_URL is not set: run `cargo xtask test`, or start mock-twitch and set ' +
      'MOCK_TWITCH_URL to the address it prints',
  );
}

/** Paths at which mock-twitch serves the page: the root and a GitHub-Pages-like sub-path. */
export const PAGE_PATHS = ['/', '/pages/twitch-wasm-auth/'];

/** Client ID that the page uses against the mock. */
export const MOCK_CLIENT_ID = 'mockpublicclient00000000000001';

/** User that the mock's consent page selects by default. */
export const DEFAULT_USER = { login: 'twitchdev', displayName: 'TwitchDev' };

/** Text that the `session-status` element contains in each state. */
export const STATUS = {
  signedIn: 'Signed in',
  signedOut: 'Signed out',
  unverified: 'Unverified',
};

/** Maximum wait for the page or the mock to reach an expected state, in milliseconds. */
export const WAIT_MS = 20_000;

/**
 * Starts Debian's Chromium headless. The flags keep it from reaching hosts outside this
 * machine: every host name but 127.0.0.1 resolves to nothing, so not even a DNS lookup
 * leaves. `--no-sandbox` lets it run as root.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-domain-reliability',
      '--no-pings',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
}

/** Opens a page in a new browser context, so no storage is shared with other tests. */
export async function newPage(browser) {
  const context = await browser.newContext();
  context.setDefaultTimeout(WAIT_MS);
  const page = await context.newPage();
  return { context, page };
}

/**
 * Records what the context's pages print to the console, their uncaught errors and the URL of
 * every request they make.
 */
export function watchContext(context) {
  const seen = { consoleTexts: [], requestUrls: [] };
  const watchPage = (page) => {
    page.on('console', (message) => seen.consoleTexts.push(message.text()));
    page.on('pageerror', (error) => seen.consoleTexts.push(String(error)));
  };
  context.pages().forEach(watchPage);
  context.on('page', watchPage);
  context.on('request', (request) => seen.requestUrls.push(request.url()));
  return seen;
}

/** Returns the trimmed text of the element with `data-testid` = `testId`. */
export async function textOf(page, testId) {
  return (await page.getByTestId(testId).textContent())?.trim() ?? '';
}

/** Waits until the element's text contains `expected`, then returns the full text. */
export async function waitForText(page, testId, expected) {
  await page.waitForFunction(
    ([id, text]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.includes(text),
    [testId, expected],
    { timeout: WAIT_MS },
  );
  return textOf(page, testId);
}

/** Waits until the session status contains `status`, one of the `STATUS` texts. */
export function waitForStatus(page, status) {
  return waitForText(page, 'session-status', status);
}

/**
 * Signs in from the page through the mock's consent page, with the default user, and waits
 * until the page shows the user.
 */
export async function signIn(page) {
  await page.getByTestId('login-button').click();
  await page.getByTestId('authorize-button').click();
  await waitForStatus(page, STATUS.signedIn);
  await waitForText(page, 'user-display-name', DEFAULT_USER.displayName);
}

/**
 * Returns the access token that the page keeps in localStorage, or null when none is
 * stored. Looks for an `access_token` field in every JSON value, so the test does not depend
 * on the storage key.
 */
export function storedAccessToken(page) {
  return page.evaluate(() => {
    for (let index = 0; index < localStorage.length; index += 1) {
      const value = localStorage.getItem(localStorage.key(index));
      try {
        const token = JSON.parse(value)?.access_token;
        if (typeof token === 'string' && token) return token;
      } catch {
        // Not JSON, so not a session record.
      }
    }
    return null;
  });
}

async function mockControl(method, path) {
  const response = await fetch(`${MOCK}${path}`, { method });
  if (!response.ok) {
    throw new Error(`${method} ${MOCK}${path} failed with status ${response.status}`);
  }
  return response;
}

/** Returns the mock to its starting state through `POST /_mock/reset`. */
export async function resetMock() {
  await mockControl('POST', '/_mock/reset');
}

/** Forgets the requests that the mock recorded so far. */
export async function clearMockRequests() {
  await mockControl('POST', '/_mock/requests/clear');
}

/**
 * Returns the requests that the mock recorded, each
 * `{ method, path, origin, auth_scheme, client_id, headers, status }`.
 */
export async function mockRequests() {
  const response = await mockControl('GET', '/_mock/requests');
  return (await response.json()).requests;
}

/** Polls the mock until a recorded request matches `predicate`, then returns that request. */
export async function waitForMockRequest(predicate, description) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const match = (await mockRequests()).find(predicate);
    if (match) return match;
    if (Date.now() > deadline) {
      throw new Error(`mock-twitch recorded no ${description} within ${WAIT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** localStorage key of the page's session record, a JSON object with an `access_token` field. */
export const SESSION_KEY = 'twitch-wasm-auth:session';

/**
 * Sends a POST with a JSON body to the mock's control API, such as `/_mock/tokens`, and
 * returns the parsed response body, or null when it is empty.
 */
export async function postMock(path, body) {
  const response = await fetch(`${MOCK}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST ${MOCK}${path} failed with status ${response.status}: ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

/** Returns the page's parsed session record from localStorage, or null when none is stored. */
export function storedSession(page) {
  return page.evaluate((key) => {
    const value = localStorage.getItem(key);
    return value === null ? null : JSON.parse(value);
  }, SESSION_KEY);
}

/**
 * Starts a device sign-in on the page and waits for the device panel. Returns the code the
 * panel shows and the address of its activation link.
 */
export async function startDeviceSignIn(page) {
  await page.getByTestId('device-login-button').click();
  await page.getByTestId('device-panel').waitFor({ state: 'visible' });
  await page.waitForFunction(
    () => document.querySelector('[data-testid="device-code"]')?.textContent?.trim(),
  );
  return {
    userCode: await textOf(page, 'device-code'),
    activationUrl: await page.getByTestId('device-link').getAttribute('href'),
  };
}

/**
 * Opens the activation page at `activationUrl` in a new page of `context`, presses the button
 * for `decision` (`approve` or `deny`) and returns the result page's `data-result`. The
 * activation page's code field is filled from the address.
 */
export async function decideOnActivationPage(context, activationUrl, decision) {
  const activation = await context.newPage();
  try {
    await activation.goto(activationUrl);
    await activation.getByTestId(`${decision}-button`).click();
    const result = activation.getByTestId('activate-result');
    await result.waitFor();
    return await result.getAttribute('data-result');
  } finally {
    await activation.close();
  }
}

/**
 * Signs in from the page through the device flow, approving the code as the default user on
 * the mock's activation page, and waits until the page shows the user. The mock's device
 * settings decide how fast the page polls, so set a short `interval` first.
 */
export async function signInWithDevice(page) {
  const { activationUrl } = await startDeviceSignIn(page);
  const result = await decideOnActivationPage(page.context(), activationUrl, 'approve');
  if (result !== 'approved') {
    throw new Error(`the activation page showed ${result}, expected approved`);
  }
  await waitForStatus(page, STATUS.signedIn);
  await waitForText(page, 'user-display-name', DEFAULT_USER.displayName);
}

/**
 * Fills the doctor panel's fields that `fields` names (`token`, `clientId`, `method`, `url`,
 * `headers`, `status`, `body`), presses Diagnose and returns the findings it shows.
 */
export async function runDoctor(page, fields) {
  const testIds = {
    token: 'doctor-token',
    clientId: 'doctor-client-id',
    url: 'doctor-url',
    headers: 'doctor-headers',
    status: 'doctor-status',
    body: 'doctor-body',
  };
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'method') {
      await page.getByTestId('doctor-method').selectOption(value);
    } else if (name in testIds) {
      await page.getByTestId(testIds[name]).fill(value);
    } else {
      throw new Error(`the doctor panel has no field ${name}`);
    }
  }
  await page.getByTestId('doctor-run').click();
  return waitForDoctorFindings(page);
}

/**
 * Waits until the doctor has finished a run and returns its findings, each
 * `{ severity, code, title }`, in the order the panel shows them.
 */
export async function waitForDoctorFindings(page) {
  await page.waitForSelector(
    '[data-testid="doctor-state"]:is([data-state="clean"], [data-state="problems"])',
  );
  return page.getByTestId('doctor-finding').evaluateAll((items) =>
    items.map((item) => ({
      severity: item.dataset.severity,
      code: item.dataset.code,
      title: item.querySelector('.finding-title')?.textContent ?? '',
    })),
  );
}

/**
 * Makes every request of the context's pages to an origin other than the mock's fail
 * without reaching the network. Returns the list of URLs it blocked, which grows as pages
 * run.
 */
export async function blockOtherOrigins(context) {
  const mockOrigin = new URL(MOCK).origin;
  const blocked = [];
  await context.route(
    (url) => url.origin !== mockOrigin && ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol),
    (route) => {
      blocked.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  return blocked;
}
