// End to end: the built dashboard in a real headless Chromium (Debian's
// chromium, driven by playwright-core) against the real suite. Seeds two
// regencies through the API, then as a facilitator: signs in, opens the
// overview, follows proposals, runs the channeling report between the two
// regencies, proposes the match, sees the notification arrive live in the
// feed, finds the proposal on the proposals page and accepts it for the
// supplier, and switches to English on a phone-sized screen.
// Screenshots go to --artifacts.
//
//   node dashboard_e2e.mjs --binary-dir B --source-dir S --web-dir D --artifacts A
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Suite } from './suite.mjs';

const { values: opt } = parseArgs({ options: {
  'binary-dir': { type: 'string' }, 'source-dir': { type: 'string' },
  'web-dir': { type: 'string' }, artifacts: { type: 'string' },
  chromium: { type: 'string', default: '/usr/bin/chromium' },
} });
for (const k of ['binary-dir', 'source-dir', 'web-dir', 'artifacts']) {
  if (!opt[k]) throw new Error(`--${k} is required`);
}
// playwright-core is installed with the dashboard's packages (web/).
const { chromium } = createRequire(join(opt['source-dir'], 'web/package.json'))('playwright-core');

const TIMEOUT = 30000;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

async function call(suite, tok, method, path, body) {
  const res = await fetch(suite.url + path, {
    method,
    headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

// Two regencies of Jawa Tengah with a ginger offer in one and a jamu
// maker's ginger need in the other.
async function seed(suite, admin) {
  const cluster = await call(suite, admin, 'POST', '/v1/clusters', {
    displayName: 'Klaster Biofarmaka Karanganyar', location: { region: 'regions/33.13' },
    sector: 'categories/biofarmaka', roles: ['PRODUCER'], memberCount: 40,
  });
  const grower = await call(suite, admin, 'POST', '/v1/enterprises', {
    displayName: 'UD Jahe Lawu', scale: 'MIKRO', location: { region: 'regions/33.13' },
    clusters: [cluster.name], categories: ['categories/jahe'],
  });
  const maker = await call(suite, admin, 'POST', '/v1/enterprises', {
    displayName: 'UD Sehat Sragen', scale: 'KECIL', location: { region: 'regions/33.14' },
    categories: ['categories/jamu-gendong'],
  });
  const offer = await call(suite, admin, 'POST', '/v1/listings', {
    kind: 'OFFER', owner: grower.name, category: 'categories/jahe', title: 'Jahe emprit kering',
    quantity: { amount: 2, unit: 'TON', period: 'MONTH' }, continuity: 'CONTINUOUS',
  });
  const need = await call(suite, admin, 'POST', '/v1/listings', {
    kind: 'NEED', owner: maker.name, category: 'categories/jahe', title: 'Jahe untuk jamu',
    quantity: { amount: 500, unit: 'KILOGRAM', period: 'WEEK' }, continuity: 'CONTINUOUS',
  });
  const now = Date.now();
  const campaign = await call(suite, admin, 'POST', '/v1/campaigns', {
    displayName: 'Kurasi Jamu Karanganyar', region: 'regions/33.13',
    submissionStartTime: new Date(now).toISOString(),
    submissionEndTime: new Date(now + 30 * 86400000).toISOString(),
    quota: 10, passThreshold: 70, reviewersPerSubmission: 1,
    criteria: [{ id: 'mutu', labelId: 'Mutu', labelEn: 'Quality', weight: 100 }],
    gradeBands: [{ grade: 'A', minScore: 85 }, { grade: 'B', minScore: 70 }],
  });
  // Matching follows the registry's events: wait until both are indexed.
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const idx = await call(suite, admin, 'GET', '/v1/index');
    if (Number(idx.listings || 0) >= 2) break;
    if (Date.now() > deadline) throw new Error(`matching never indexed the listings: ${JSON.stringify(idx)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { offer, need, campaign };
}

async function scenario(suite, page, shots) {
  const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  const admin = await suite.token('admin', { subject: 'users/e2e-admin' });
  const { offer, need, campaign } = await seed(suite, admin);
  const facilitator = await suite.token('facilitator', {
    regions: ['33.13', '33.14'], subject: 'users/fasilitator-e2e' });

  // Sign in.
  await page.goto(suite.url + '/');
  await page.locator('textarea[name=token]').fill(facilitator);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('#user').filter({ hasText: 'users/fasilitator-e2e · fasilitator · 33.13, 33.14' }).waitFor();

  // Overview: the seeded records are counted and charted.
  await page.locator('.stat[data-measure=enterprises] .n').filter({ hasText: /^2$/ }).waitFor();
  await page.locator('.stat[data-measure=openOffers] .n').filter({ hasText: /^1$/ }).waitFor();
  await page.locator('.stat[data-measure=openNeeds] .n').filter({ hasText: /^1$/ }).waitFor();
  await page.locator('tr[data-key="regions/33"]').waitFor();
  check(await page.locator('canvas').count() === 1, 'the overview draws one chart');
  await shot('01-overview');

  // Listings search: the need, filtered by kind.
  await page.locator('a[data-page=listings]').click();
  await page.locator('table tbody tr').nth(1).waitFor();
  await page.locator('select[name=listings-kind]').selectOption('NEED');
  await page.getByRole('button', { name: 'Tampilkan' }).click();
  await page.locator('p.muted').filter({ hasText: /^1 total$/ }).waitFor();
  const needRow = page.locator(`tr[data-name="${need.name}"]`);
  await needRow.filter({ hasText: 'Jahe untuk jamu' }).waitFor();
  check(await page.locator('table tbody tr').count() === 1, 'only the need is listed');

  // Curation: the campaign and its (empty) progress.
  await page.locator('a[data-page=curation]').click();
  const campaignRow = page.locator(`tr[data-name="${campaign.name}"]`);
  await campaignRow.filter({ hasText: 'Kurasi Jamu Karanganyar' }).waitFor();
  check((await campaignRow.innerText()).includes('DRAFT'), 'the campaign is a draft');
  check(await page.locator('canvas').count() === 1, 'the curation page draws one chart');

  // Follow proposals in my regions; the live stream is open.
  await page.locator('a[data-page=feed]').click();
  await page.locator('button[name=follow]').click();
  await page.locator('ul.subscriptions li').filter({ hasText: 'jalin.matching.proposal.*' }).waitFor();
  await page.locator('#live[data-state=live]').waitFor();

  // Channeling report between Karanganyar and Sragen.
  await page.locator('a[data-page=report]').click();
  const chooseRegions = async (a, b) => {
    for (const [side, regency] of [['report-a', a], ['report-b', b]]) {
      await page.locator(`select[name=${side}-province] option[value="regions/33"]`).waitFor({ state: 'attached' });
      await page.locator(`select[name=${side}-province]`).selectOption('regions/33');
      await page.locator(`select[name=${side}-regency] option[value="${regency}"]`).waitFor({ state: 'attached' });
      await page.locator(`select[name=${side}-regency]`).selectOption(regency);
    }
    await page.locator('button[name=generate]').click();
  };
  // Outside the facilitator's regions: refused, said in words.
  await chooseRegions('regions/33.01', 'regions/33.02');
  await page.locator('.error[role=alert]').filter({ hasText: 'Anda tidak berwenang' }).waitFor();
  await chooseRegions('regions/33.13', 'regions/33.14');
  const match = page.locator('.opportunity[data-kind=LISTING_MATCH]').first();
  await match.waitFor();
  const text = await match.innerText();
  check(text.includes('Jahe emprit kering') && text.includes('Jahe untuk jamu'),
        `the opportunity names the offer and the need: ${text}`);
  await page.locator('.summary').filter({ hasText: /dari A ke B/ }).waitFor();
  await shot('02-report');

  // Propose it; the notification arrives live.
  await match.locator('button[name=propose]').click();
  const created = match.locator('.notice[data-proposal^="proposals/"]');
  await created.waitFor();
  const proposal = await created.getAttribute('data-proposal');
  await page.locator('a[data-page=feed]').filter({ hasText: '1 baru' }).waitFor();
  await page.locator('a[data-page=feed]').click();
  const live = page.locator('ul.feed li[data-live=true][data-event-type="jalin.matching.proposal.created"]');
  await live.waitFor();
  check((await live.locator('.title').innerText()).trim().length > 0, 'the notification has a title');
  await shot('03-feed');

  // The proposal is listed, pending on both sides, and the funnel counts it.
  await page.locator('a[data-page=proposals]').click();
  const row = page.locator(`tr[data-proposal="${proposal}"][data-state=PROPOSED]`);
  await row.waitFor();
  check(await row.locator('button[name=accept-supplier]').count() === 1, 'the supplier side can be answered');
  await row.locator('td.supplier').filter({ hasText: 'UD Jahe Lawu' }).waitFor();
  await row.locator('td.buyer').filter({ hasText: 'UD Sehat Sragen' }).waitFor();
  await page.locator('.stat[data-stage=proposed] .n').filter({ hasText: /^1$/ }).waitFor();
  await shot('04-proposals');

  // The facilitator accepts for the supplier: the buyer's answer is pending.
  await row.locator('button[name=accept-supplier]').click();
  const partly = page.locator(`tr[data-proposal="${proposal}"][data-state=PARTIALLY_ACCEPTED]`);
  await partly.waitFor();
  check(await partly.locator('button[name=accept-supplier]').count() === 0, 'the supplier answered once');
  check(await partly.locator('button[name=accept-buyer]').count() === 1, 'the buyer can still answer');
  await page.locator('.stat[data-stage=accepted] .n').filter({ hasText: /^1$/ }).waitFor();

  // The answer is announced live too; after a reload the stream resumes from
  // the stored cursor and the feed lists each notification once.
  await page.locator('a[data-page=feed]').click();
  await page.locator('ul.feed li[data-live=true][data-event-type="jalin.matching.proposal.accepted"]').waitFor();
  await page.reload();
  await page.locator('#live[data-state=live]').waitFor();
  await page.locator('ul.feed li[data-event-type="jalin.matching.proposal.accepted"]').waitFor();
  for (const type of ['created', 'accepted']) {
    check(await page.locator(`ul.feed li[data-event-type="jalin.matching.proposal.${type}"]`).count() === 1,
          `one ${type} notification after the reload`);
  }

  // English, and a phone-sized overview.
  await page.locator('#lang').selectOption('en');
  await page.locator('a[data-page=overview]').filter({ hasText: 'Overview' }).waitFor();
  await page.locator('a[data-page=overview]').click();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('.stat[data-measure=enterprises] .l').filter({ hasText: 'UMKM' }).waitFor();
  await shot('05-overview-phone-en');
  console.log(`ok: ${proposal} for ${offer.name} → ${need.name}`);
}

async function main() {
  const shots = opt.artifacts;
  await mkdir(shots, { recursive: true });
  const suite = new Suite({ binaryDir: opt['binary-dir'], sourceDir: opt['source-dir'], webDir: opt['web-dir'] });
  const profile = await mkdtemp(join(tmpdir(), 'jalin-e2e-chromium-'));
  let context = null;
  let ok = false;
  try {
    await suite.start();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: opt.chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(TIMEOUT);
    const page = context.pages()[0] || await context.newPage();
    const consoleErrors = [];
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') console.error(`page: ${m.text()}`); });
    try {
      await scenario(suite, page, shots);
    } catch (e) {
      if (consoleErrors.length) console.error(`script errors: ${consoleErrors.join('; ')}`);
      await page.screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {});
      throw e;
    }
    check(consoleErrors.length === 0, `no script errors in the page: ${consoleErrors.join('; ')}`);
    ok = true;
  } finally {
    if (context) await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
    await suite.stop({ keep: !ok });
    if (!ok) console.error(`service logs kept in ${suite.dir}`);
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
