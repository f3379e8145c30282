// Times page loads with a stored session: from navigation start to the page's
// `twa:validated` performance mark, which it sets once the stored token validated.
// `cargo xtask bench` runs it and reads the `validated_ms` lines. BENCH_RUNS sets the number
// of loads (default 20).

import {
  MOCK,
  STATUS,
  WAIT_MS,
  launchBrowser,
  newPage,
  resetMock,
  signIn,
  waitForStatus,
} from './helpers.mjs';

const MARK = 'twa:validated';
const runs = Number.parseInt(process.env.BENCH_RUNS ?? '20', 10);
if (!(runs > 0)) {
  throw new Error(`invalid BENCH_RUNS ${process.env.BENCH_RUNS}: expected a positive integer`);
}

const browser = await launchBrowser();
try {
  console.log(`browser: Chromium ${browser.version()}`);
  await resetMock();
  const { page } = await newPage(browser);
  await page.goto(`${MOCK}/`);
  await waitForStatus(page, STATUS.signedOut);
  await signIn(page);

  for (let load = 1; load <= runs; load += 1) {
    await page.reload();
    await page.waitForFunction(
      (mark) => performance.getEntriesByName(mark).length > 0,
      MARK,
      { timeout: WAIT_MS },
    );
    // startTime of a mark is relative to the navigation's time origin.
    const milliseconds = await page.evaluate(
      (mark) => performance.getEntriesByName(mark)[0].startTime,
      MARK,
    );
    console.log(`validated_ms ${milliseconds.toFixed(1)}`);
  }
} finally {
  await browser.close();
}
