/*
 * ui.test.js — drives headless Chromium (Debian's, through puppeteer-core)
 * over a running `dossier serve` and asserts on the DOM:
 *   1. the map shows markers (one per incident with coordinates);
 *   2. a filter (type) and the timeline brush narrow the list;
 *   3. full-text search shows matching sentences;
 *   4. an incident page shows sentences with the event highlighted;
 *   5. the document page toggles the dropped lines, and a document whose
 *      title and text carry <script> / onerror payloads renders them as text;
 *   6. no page error and no Content-Security-Policy violation anywhere.
 * Screenshots go to OUTDIR.
 * Usage: node ui.test.js BASE_URL OUTDIR NPM_DIR XSS_DOC_ID FIXTURE_INCIDENT_ID
 * Prints TAP-like lines; exits 1 on the first failed check.
 */
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');

const [base, outdir, npmDir, xssDoc, fixtureIncident] = process.argv.slice(2);
const puppeteer = require(path.resolve(npmDir, 'node_modules', 'puppeteer-core'));

let n = 0;
function check(ok, what) {
  n++;
  console.log((ok ? 'ok ' : 'not ok ') + n + ' - ' + what);
  if (!ok) throw new Error('check failed: ' + what);
}

(async () => {
  const t0 = Date.now();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run',
           '--user-data-dir=' + profile, '--window-size=1400,1000'],
    defaultViewport: { width: 1400, height: 1000 },
    timeout: 30000,
  });
  const problems = [];
  let exitCode = 0;
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => problems.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push('console error: ' + m.text());
    });
    page.on('requestfailed', (r) => problems.push('request failed: ' + r.url()));
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:'))
        problems.push('request outside the server: ' + r.url());
    });
    await page.evaluateOnNewDocument(() => {
      window.__csp = [];
      document.addEventListener('securitypolicyviolation',
        (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
    });
    const shot = (name) => page.screenshot({ path: path.join(outdir, name), fullPage: false });
    const rows = () => page.$$eval('#list tr', (trs) => trs.map((t) => t.dataset.type));
    const loaded = () => page.waitForFunction(() => document.body.dataset.loading === '0');

    /* 1. the map */
    await page.goto(base, { waitUntil: 'load' });
    await loaded();
    await page.waitForFunction(() => document.querySelectorAll('path.incident-marker').length > 0);
    const markers = await page.$$eval('path.incident-marker', (m) => m.length);
    const attr = await page.$eval('#map', (m) => Number(m.dataset.markers));
    check(markers > 0 && markers === attr, 'map shows ' + markers + ' incident markers');
    const outlines = await page.$$eval('.leaflet-overlay-pane path:not(.incident-marker)', (p) => p.length);
    check(outlines > 50, 'offline basemap draws ' + outlines + ' country outlines');
    const credit = await page.$eval('.leaflet-control-attribution', (e) => e.textContent);
    check(/GeoNames/.test(credit), 'GeoNames credited on the map');
    const bars = await page.$$eval('#timeline rect.tl-bar', (r) => r.length);
    check(bars > 0, 'timeline draws ' + bars + ' bars');
    check((await page.evaluate(() => window.__csp)).length === 0, 'no CSP violation on the map page');
    await shot('ui-index.png');
    const all = await rows();
    check(all.length > 1, 'list shows ' + all.length + ' incidents');

    /* 2a. a filter narrows the list */
    const want = all[0];
    await page.select('#f-type', want);
    await page.waitForFunction(() => document.body.dataset.loading === '0' &&
      [...document.querySelectorAll('#list tr')].every((t) => t.dataset.type === document.getElementById('f-type').value));
    const filtered = await rows();
    check(filtered.length > 0 && filtered.length < all.length &&
          filtered.every((t) => t === want),
          'type filter "' + want + '" narrows the list from ' + all.length + ' to ' + filtered.length);
    const fm = await page.$$eval('path.incident-marker', (m) => m.length);
    check(fm <= filtered.length && fm < markers, 'the map follows the filter (' + fm + ' markers)');
    await shot('ui-filtered.png');
    await page.click('#f-reset');
    await page.waitForFunction((k) => document.body.dataset.loading === '0' &&
      document.querySelectorAll('#list tr').length === k, {}, all.length);

    /* 2b. the timeline brush narrows map and list */
    const box = await (await page.$('#timeline')).boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + 45, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.15, y, { steps: 5 });   /* the seeds stretch the axis to 2024 */
    await page.mouse.up();
    await page.waitForFunction(() => document.getElementById('tl-caption').dataset.brush &&
      document.body.dataset.loading === '0');
    const brushed = await rows();
    const range = await page.$eval('#tl-caption', (e) => e.dataset.brush);
    check(brushed.length > 0 && brushed.length < all.length,
          'timeline brush ' + range + ' narrows the list to ' + brushed.length);
    const bm = await page.$$eval('path.incident-marker', (m) => m.length);
    check(bm < markers, 'timeline brush narrows the map to ' + bm + ' markers');
    await shot('ui-brush.png');
    await page.click('#tl-clear');
    await page.waitForFunction((k) => document.body.dataset.loading === '0' &&
      document.querySelectorAll('#list tr').length === k, {}, all.length);

    /* 3. full-text search */
    await page.type('#f-q', 'surrendered');
    await page.click('#f-apply');
    await page.waitForFunction(() => document.body.dataset.loading === '0' &&
      !document.getElementById('hits-box').hidden);
    const hits = await page.$$eval('#hits li', (l) => l.length);
    const marks = await page.$$eval('#hits mark.hl-match', (m) => m.map((x) => x.textContent.toLowerCase()));
    check(hits > 0 && marks.length > 0 && marks.every((m) => m.startsWith('surrender')),
          'search shows ' + hits + ' matching sentences with the match highlighted');
    const sr = await rows();
    check(sr.length > 0 && sr.length < all.length, 'search narrows the list to ' + sr.length);

    /* 4. an incident page */
    const href = await page.$eval('#list tr a.summary', (a) => a.getAttribute('href'));
    await page.goto(base + href, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const trig = await page.$$eval('.claim .sentence mark.hl-trigger', (m) => m.map((x) => x.textContent));
    const sents = await page.$$eval('.claim .sentence', (s) => s.length);
    check(sents > 0 && trig.length >= sents && trig.every((t) => t.length > 0),
          'incident page: ' + sents + ' sentences, event highlighted (' + trig.slice(0, 3).join(', ') + ')');
    const clusters = await page.$$eval('.cluster', (c) => c.length);
    check(clusters > 0, 'origin clusters listed (' + clusters + ')');
    await shot('ui-incident-clicked.png');
    /* the fixture incident: its claims name actor, place and time for sure */
    await page.goto(base + 'incident.html?id=' + fixtureIncident, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const kinds = await page.$$eval('.claim .sentence mark', (m) => [...new Set(m.flatMap((x) => [...x.classList]))]);
    check(['hl-trigger', 'hl-actor', 'hl-place', 'hl-time'].every((k) => kinds.includes(k)),
          'fixture incident ' + fixtureIncident + ': event, actor, place and time highlighted (' + kinds.join(' ') + ')');
    const chain = await page.$$eval('.claim .chain', (c) => c.map((x) => x.textContent));
    check(chain.some((t) => t.includes('→')), 'speaker and relay chain shown (' + chain[0] + ')');
    await shot('ui-incident.png');

    /* 5. the document page: dropped-lines toggle and inert payloads */
    await page.goto(base + 'doc.html?id=' + encodeURIComponent(xssDoc), { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const title = await page.$eval('#doc-title', (e) => e.textContent);
    check(title.includes('<script>') && title.includes('onerror'),
          'document title with <script>/onerror shows as text');
    const text = await page.$eval('#doc-text', (e) => e.textContent);
    check(text.includes('<script>window.__xss=3</script>'), 'document text payload shows as text');
    const injected = await page.evaluate(() => ({
      xss: window.__xss === undefined ? null : window.__xss,
      imgs: document.querySelectorAll('main img').length,
      scripts: [...document.scripts].filter((s) => !s.src).length }));
    check(injected.xss === null && injected.imgs === 0 && injected.scripts === 0,
          'no payload ran: no injected img or script elements');
    const hidden0 = await page.$eval('#dropped', (e) => e.hidden);
    await shot('ui-doc.png');
    await page.click('#toggle-dropped');
    const shown = await page.$eval('#dropped', (e) => !e.hidden && e.offsetHeight > 0);
    const lines = await page.$$eval('#dropped-lines li', (l) => l.map((x) => x.textContent));
    check(hidden0 && shown && lines.length > 0 && lines.some((l) => /newsletter/i.test(l)),
          'toggle shows ' + lines.length + ' dropped lines (' + lines[0] + ')');
    await shot('ui-doc-dropped.png');
    await page.click('#toggle-dropped');
    check(await page.$eval('#dropped', (e) => e.hidden), 'toggle hides them again');
    const csp = await page.evaluate(() => window.__csp);
    check(csp.length === 0, 'no CSP violation on the document page');
    const claimSents = await page.$$eval('#doc-text mark.claim-sent', (m) => m.length);
    check(claimSents > 0, 'claim sentences highlighted in the text (' + claimSents + ')');

    check(problems.length === 0, 'no page errors or failed requests' +
          (problems.length ? ': ' + problems.join('; ') : ''));
    console.log('# browser test took ' + ((Date.now() - t0) / 1000).toFixed(1) + ' s');
  } catch (e) {
    console.log('# ' + e.message);
    if (problems.length) console.log('# problems: ' + problems.join('; '));
    exitCode = 1;
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(exitCode);
})();
