// Writes docs/doctor.png, the README's picture of the token doctor: the page signed in to
// mock-twitch, with the doctor's findings for a request to the removed Kraken API.
//
// Run it with a mock-twitch that serves the built page, for example after
// `cargo xtask serve --port 0`:
//
//   MOCK_TWITCH_URL=http://127.0.0.1:PORT node tests/page/doctor-screenshot.mjs
//
// It resets the mock. The request URL in the panel names api.twitch.tv as a user would paste
// it, but the doctor only reads it, and every request to another origin than the mock's is
// blocked.

import { fileURLToPath } from 'node:url';
import { stat } from 'node:fs/promises';

import {
  MOCK,
  MOCK_CLIENT_ID,
  STATUS,
  WAIT_MS,
  blockOtherOrigins,
  launchBrowser,
  resetMock,
  signIn,
  waitForDoctorFindings,
  waitForStatus,
} from './helpers.mjs';

const OUTPUT = fileURLToPath(new URL('../../docs/doctor.png', import.meta.url));
const VIEWPORT = { width: 900, height: 1000 };
/** Maximum size of the PNG, in bytes. */
const MAX_BYTES = 200 * 1024;

const browser = await launchBrowser();
try {
  await resetMock();
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
  context.setDefaultTimeout(WAIT_MS);
  const blocked = await blockOtherOrigins(context);
  const page = await context.newPage();

  await page.goto(`${MOCK}/`);
  await waitForStatus(page, STATUS.signedOut);
  await signIn(page);

  await page.getByTestId('doctor-url').fill('https://api.twitch.tv/kraken/user');
  await page
    .getByTestId('doctor-headers')
    .fill(`Accept: application/vnd.twitchtv.v5+json\nClient-Id: ${MOCK_CLIENT_ID}`);
  await page.getByTestId('doctor-use-session').click();
  const findings = await waitForDoctorFindings(page);
  if (findings[0]?.code !== 'kraken_removed') {
    throw new Error(`expected kraken_removed first, the doctor showed ${JSON.stringify(findings)}`);
  }
  if (blocked.length > 0) {
    throw new Error(`the page tried other origins: ${blocked.join(', ')}`);
  }

  await page.getByTestId('doctor-panel').evaluate((panel) => panel.scrollIntoView());
  await page.screenshot({ path: OUTPUT });
  const { size } = await stat(OUTPUT);
  console.log(`wrote ${OUTPUT} (${size} bytes)`);
  if (size > MAX_BYTES) {
    throw new Error(`${OUTPUT} has ${size} bytes, more than the ${MAX_BYTES} the README allows`);
  }
  await context.close();
} finally {
  await browser.close();
}
