/**
 * The operator's inbox and hazard page in a real browser (Debian Chromium) over our real server on a
 * PostgreSQL test database: a village officer sees a reported hazard arrive, classifies and assigns it
 * through the forms and watches the row move without a reload; bulk assignment of two cases; a change
 * made elsewhere meanwhile answers 409 and the page says so; a town operator is offered supervision
 * (督查督办) only once a case is past its deadline. Asserts on what the operator sees.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../client/src/i18n/locales/en.ts';
import { zhCN } from '../../client/src/i18n/locales/zh-CN.ts';
import type {} from '../../client/src/test-hooks.ts';
import type { HazardDetail } from '../../shared/src/schemas/hazards.ts';
import type { RunningServer } from '../../server/src/server.ts';
import { openTestDatabase, type TestDatabase } from '../support/databases.ts';
import { signInOverHttp } from '../support/api.ts';
import { launchChromium, LOAD_TIMEOUT_MS, STEP_TIMEOUT_MS, VIEWPORT } from '../support/browser.ts';
import { jpeg } from '../support/images.ts';
import { multipartBody } from '../support/multipart.ts';
import { TEST_PASSWORD } from '../support/paths.ts';

const SCREENSHOT = 'test-results/inbox.png';
const SCREENSHOT_EN = 'test-results/inbox-en.png';

let database: TestDatabase;
let server: RunningServer;
let browser: Browser;
/** A point inside a unit grid of the village officer's village, where they may report. */
let spot: { lon: number; lat: number };
const pageErrors: string[] = [];
const pages: Page[] = [];
let officer: { authorization: string };

const apiSignIn = (username: string) => signInOverHttp(server.url, username);

async function report(description: string, photos: Buffer[] = []): Promise<HazardDetail> {
  const { payload, contentType } = multipartBody(
    { category: 'fire_safety', description, location: { lon: spot.lon, lat: spot.lat, crs: 'wgs84' } },
    photos.map((content, i) => ({
      field: 'photos',
      filename: `${i}.jpg`,
      contentType: 'image/jpeg',
      content,
    })),
  );
  const response = await fetch(new URL('/api/hazards', server.url), {
    method: 'POST',
    headers: { ...officer, 'content-type': contentType },
    body: new Uint8Array(payload),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as HazardDetail;
}

async function act(hazard: HazardDetail, body: Record<string, unknown>): Promise<HazardDetail> {
  const response = await fetch(new URL(`/api/hazards/${hazard.id}/actions`, server.url), {
    method: 'POST',
    headers: { ...officer, 'content-type': 'application/json' },
    body: JSON.stringify({ version: hazard.version, ...body }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as HazardDetail;
}

/** A signed-in page on the inbox, live. */
async function openInbox(username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  pages.push(page);
  page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
  await page.goto(new URL('/?view=inbox', server.url).href);
  await page.getByTestId('sign-in-username').fill(username);
  await page.getByTestId('sign-in-password').fill(TEST_PASSWORD);
  await page.getByTestId('sign-in-submit').click();
  await page.locator('[data-testid="inbox"][data-status="ready"]').waitFor({ timeout: LOAD_TIMEOUT_MS });
  await page.waitForFunction(() => window.__gridwatch?.live?.connection === 'live', null, {
    timeout: LOAD_TIMEOUT_MS,
    polling: 250,
  });
  await page.evaluate(() => ((window as { inboxMarker?: number }).inboxMarker = 1));
  return page;
}

/** How far the title bar's content runs past its box (px); 0 or less when it fits. */
const titleBarOverflow = (page: Page) =>
  page.evaluate(() => {
    const bar = document.querySelector('.title-bar')!;
    const right = Math.max(...[...bar.querySelectorAll('*')].map((e) => e.getBoundingClientRect().right));
    return right - bar.getBoundingClientRect().right;
  });
const pageKept = (page: Page) => page.evaluate(() => (window as { inboxMarker?: number }).inboxMarker === 1);
const row = (page: Page, id: number) => page.locator(`[data-testid="inbox-row"][data-id="${id}"]`);
const rowState = (page: Page, id: number) =>
  row(page, id).getAttribute('data-state', { timeout: STEP_TIMEOUT_MS });

async function openHazard(page: Page, id: number) {
  await row(page, id).click({ timeout: STEP_TIMEOUT_MS });
  await page
    .locator(`[data-testid="hazard-page"][data-id="${id}"] [data-testid="hazard-actions"]`)
    .waitFor({ timeout: STEP_TIMEOUT_MS });
}

beforeAll(async () => {
  await mkdir('test-results', { recursive: true });
  database = await openTestDatabase('postgres');
  const { rows } = await database.pool.query<typeof spot>(`
    SELECT ST_X(p) AS lon, ST_Y(p) AS lat
      FROM (SELECT ST_PointOnSurface(geom) AS p FROM grid
             WHERE level = 'unit' AND admin_code = (SELECT scope_code FROM app_user WHERE username = 'village_officer')
             ORDER BY code LIMIT 1) g`);
  spot = rows[0]!;
  const { startServer } = await import('../../server/src/server.ts');
  server = await startServer(
    { ...database.configOverrides, PORT: 0, HOST: '127.0.0.1', SEED_DEMO: false, LOG_LEVEL: 'warn' },
    () => {},
  );
  officer = await apiSignIn('village_officer');
  browser = await launchChromium();
}, LOAD_TIMEOUT_MS + 60_000);

afterAll(async () => {
  await pages[0]?.screenshot({ path: SCREENSHOT }).catch(() => {});
  await browser?.close();
  await server?.close();
  await database?.destroy();
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});

describe('inbox and hazard page', () => {
  let page: Page;

  it('a village officer sees a reported hazard arrive, classifies and assigns it; the row moves live', async () => {
    page = await openInbox('village_officer');
    const hazard = await report('楼道堆放杂物，堵塞安全出口', [await jpeg(800, 600)]);
    await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('reported');
    expect(await row(page, hazard.id).getByTestId('timer').getAttribute('data-timer')).toBe('none');

    await openHazard(page, hazard.id);
    expect(await page.getByTestId('hazard-description').textContent()).toBe('楼道堆放杂物，堵塞安全出口');
    // The photo: its thumbnail (read with the token), enlarged on a click, closed with Esc.
    const thumbnail = page.locator('[data-testid="photo-thumbnail"] img');
    await expect
      .poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBeGreaterThan(0);
    await page.getByTestId('photo-thumbnail').click();
    const large = page.locator('[data-testid="photo-lightbox"] img');
    await expect
      .poll(() => large.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: STEP_TIMEOUT_MS })
      .toBe(800);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('photo-lightbox').count()).toBe(0);
    // The small map is centred on the hazard.
    await expect
      .poll(() => page.evaluate(() => window.__gridwatch?.hazardMapCentre ?? null), {
        timeout: LOAD_TIMEOUT_MS,
      })
      .toEqual([expect.closeTo(spot.lon, 6), expect.closeTo(spot.lat, 6)]);
    await expect.poll(() => page.getByTestId('timeline-step').count(), { timeout: STEP_TIMEOUT_MS }).toBe(1);
    await page.getByTestId('action-classify').click();
    await page.getByTestId('action-severity').selectOption('general');
    await page.getByTestId('action-note').fill('一般隐患，限期整改');
    await page.getByTestId('action-note').press('Enter');
    await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('classified');
    expect(await row(page, hazard.id).getByTestId('timer').getAttribute('data-timer')).toBe('green');
    expect(await row(page, hazard.id).getByTestId('timer').textContent()).toMatch(
      // the page's clock ticks by the second and may run a little behind the server's
      /正常.*剩余 (6天23小时|7天0小时)/,
    );

    await page.getByTestId('action-assign').click();
    await page.getByTestId('action-responsible').fill('新城物业公司');
    await page.getByTestId('action-responsible').press('Enter');
    await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('assigned');
    await expect.poll(() => page.getByTestId('timeline-step').count(), { timeout: STEP_TIMEOUT_MS }).toBe(3);
    expect(await page.getByTestId('hazard-field-responsible').textContent()).toContain('新城物业公司');
    expect(await page.getByTestId('hazard-notice').textContent()).toBe('已完成：派发');

    // Esc closes a form without sending it.
    await page.getByTestId('action-reassign').click();
    await page.getByTestId('action-responsible').press('Escape');
    await expect.poll(() => page.getByTestId('action-dialog').count()).toBe(0);
    expect(await pageKept(page)).toBe(true);
  });

  it('assigns two classified hazards at once', async () => {
    const first = await act(await report('电动车楼道内充电'), { action: 'classify', severity: 'general' });
    const second = await act(await report('厨房液化气软管老化'), { action: 'classify', severity: 'major' });
    for (const hazard of [first, second]) {
      await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('classified');
      await row(page, hazard.id).getByTestId('inbox-select').check();
    }
    expect(await page.getByTestId('bulk-count').textContent()).toBe('已选 2 件');
    await page.getByTestId('bulk-responsible').fill('社区安全员');
    await page.getByTestId('bulk-assign').click();
    await expect
      .poll(
        () =>
          page.getByTestId('bulk-result').evaluateAll((items) => items.map((i) => i.getAttribute('data-ok'))),
        {
          timeout: STEP_TIMEOUT_MS,
        },
      )
      .toEqual(['true', 'true']);
    for (const hazard of [first, second])
      await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('assigned');
    expect(await pageKept(page)).toBe(true);
  });

  it('says so when someone else changed the hazard meanwhile (409) and shows it as it is now', async () => {
    const hazard = await report('仓库与住人混用（三合一）');
    await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('reported');
    await openHazard(page, hazard.id);
    await page.getByTestId('action-classify').click();
    await page.getByTestId('action-severity').selectOption('major');
    // Another officer classifies it first.
    await act(hazard, { action: 'classify', severity: 'general' });
    await page.getByTestId('action-submit').click();
    await expect
      .poll(() => page.getByTestId('hazard-notice').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toBe(zhCN.hazard.conflict);
    expect(await page.getByTestId('action-dialog').count()).toBe(0);
    await expect
      .poll(() => page.getByTestId('hazard-field-severity').textContent(), { timeout: STEP_TIMEOUT_MS })
      .toContain(zhCN.inbox.severities.general);
    expect(await rowState(page, hazard.id)).toBe('classified');
  });

  it('accepts a rectification with a photo, shown at its step of the timeline', async () => {
    let hazard = await act(await report('配电箱周边堆放易燃纸箱'), {
      action: 'classify',
      severity: 'general',
    });
    hazard = await act(hazard, { action: 'assign', responsible: '沿街商铺店主' });
    hazard = await act(hazard, { action: 'start' });
    hazard = await act(hazard, { action: 'submit', note: '纸箱已清走' });
    await expect.poll(() => rowState(page, hazard.id), { timeout: STEP_TIMEOUT_MS }).toBe('checking');
    await openHazard(page, hazard.id);
    await page.getByTestId('action-accept').click();
    await page.getByTestId('action-photos').setInputFiles({
      name: '复查.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpeg(320, 240),
    });
    expect(await page.getByTestId('action-photo-count').textContent()).toBe('已选 1 张');
    await page.getByTestId('action-submit').click();
    const accepted = page.locator('[data-testid="timeline-step"][data-action="accept"]');
    await expect
      .poll(
        () =>
          accepted
            .locator('[data-testid="photo-thumbnail"] img')
            .evaluate((img: HTMLImageElement) => img.naturalWidth)
            .catch(() => 0),
        { timeout: STEP_TIMEOUT_MS },
      )
      .toBeGreaterThan(0);
    // the report brought no photo: the page's photo strip says so, the photo sits with its step only
    expect(await page.locator('.hazard-media [data-testid="photo-thumbnail"]').count()).toBe(0);
    expect(await page.getByTestId('hazard-notice').textContent()).toBe('已完成：核查通过');
  });

  it('offers a town operator supervision only once a case is past its deadline', async () => {
    const town = await openInbox('town_operator');
    const onTime = await act(await report('消防通道被占用'), { action: 'classify', severity: 'general' });
    const deadline = new Date(Date.now() + 20_000).toISOString();
    const late = await act(await report('灭火器过期未更换'), {
      action: 'classify',
      severity: 'general',
      deadline,
    });

    await expect.poll(() => rowState(town, onTime.id), { timeout: STEP_TIMEOUT_MS }).toBe('classified');
    await openHazard(town, onTime.id);
    expect(await town.getByTestId('action-supervise').count()).toBe(0);

    await expect.poll(() => rowState(town, late.id), { timeout: STEP_TIMEOUT_MS }).toBe('classified');
    await openHazard(town, late.id);
    if (Date.now() < Date.parse(deadline) - 2000)
      expect(await town.getByTestId('action-supervise').count(), 'not before the deadline').toBe(0);
    // The timer turns red and the page asks the server again: now it may be pressed.
    await expect
      .poll(() => row(town, late.id).getByTestId('timer').getAttribute('data-timer'), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe('red');
    await town.getByTestId('action-supervise').waitFor({ timeout: STEP_TIMEOUT_MS });
    await town.getByTestId('inbox-filter-overdue').check();
    expect(
      await town.getByTestId('inbox-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))),
    ).toEqual([String(late.id)]);

    await town.getByTestId('action-supervise').click();
    await town.getByTestId('action-note').fill('逾期未整改，限两日内完成');
    await town.getByTestId('action-note').press('Enter');
    await row(town, late.id).getByTestId('inbox-supervised').waitFor({ timeout: STEP_TIMEOUT_MS });
    await expect
      .poll(() => town.locator('[data-testid="timeline-step"]').last().getAttribute('data-action'), {
        timeout: STEP_TIMEOUT_MS,
      })
      .toBe('supervise');
    // The village officer's row follows the live event.
    await row(page, late.id).getByTestId('inbox-supervised').waitFor({ timeout: STEP_TIMEOUT_MS });
    expect(await pageKept(town)).toBe(true);
  });

  it('reads in English too', async () => {
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.locator('#inbox-title').textContent()).toBe(en.inbox.title);
    expect(await page.getByTestId('view-switch').textContent()).toBe(en.inbox.backToWall);
    expect(await page.getByTestId('inbox-group-assigned').locator('h3').textContent()).toContain(
      en.inbox.states.assigned,
    );
    expect(await page.getByTestId('timer').allTextContents()).toContainEqual(
      expect.stringMatching(/^●On time\d+ d \d+ h left$/),
    );
    await page.screenshot({ path: SCREENSHOT_EN });
    expect(await titleBarOverflow(page), 'the English title bar fits the screen').toBeLessThanOrEqual(0);
    await page.getByTestId('view-switch').click();
    await page.getByTestId('wall-map').waitFor({ timeout: STEP_TIMEOUT_MS });
    // on the wall the switch sits in the live panel, beside the open hazards it leads to
    expect(await page.locator('.live-panel [data-testid="view-switch"]').textContent()).toBe(en.inbox.open);
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    expect(await pageKept(page)).toBe(true);
  });
});
