// Load an HTML report in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) from its file, and say what the browser made of it, as JSON on stdout:
// every request the page made, the script elements, the checks (id, title, status word as
// rendered text), each waterfall row's bars with their rendered widths, the text of failed
// samples, whether a narrow window scrolls sideways, an A4 PDF's size, and the distinct colours
// of a full-page screenshot (saved to SHOT.png). tests/cli/test_html.sh judges it.
//   node html-browser.js REPORT.html SHOT.png [HEIGHT]
// HEIGHT: the screenshot is the page's top HEIGHT pixels (the README's picture), not all of it.
// Run it under `unshare -n` for a browser without a network. Bounded: every step has a timeout.
'use strict';
const path = require('path');
const fs = require('fs');

const [, , report, shot, height] = process.argv;
if (!report || !shot) {
  console.error('usage: node html-browser.js REPORT.html SHOT.png [HEIGHT]');
  process.exit(2);
}
const pw = require(process.env.MS_PLAYWRIGHT || 'playwright-core');
const chromium = process.env.MS_CHROMIUM || '/usr/bin/chromium';

async function main() {
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'ms-chromium-'));
  const ctx = await pw.chromium.launchPersistentContext(dir, {
    executablePath: chromium,
    headless: true,
    timeout: 60000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--font-render-hinting=none'],
    viewport: { width: 1000, height: 800 },
    javaScriptEnabled: true, // for our measurements (page.evaluate); the page has none of its own
  });
  const out = { requests: [], console: [] };
  try {
    const page = ctx.pages()[0] || (await ctx.newPage());
    page.setDefaultTimeout(30000);
    page.on('request', (r) => out.requests.push(r.url()));
    page.on('console', (m) => out.console.push(m.text()));
    const url = 'file://' + path.resolve(report);
    out.url = url;
    await page.goto(url, { waitUntil: 'load' });
    Object.assign(out, await page.evaluate(() => {
      const r = {};
      r.lang = document.documentElement.lang;
      r.charset = document.characterSet;
      r.csp = (document.querySelector('meta[http-equiv="Content-Security-Policy"]') || {}).content;
      r.scripts = document.querySelectorAll('script').length;
      r.text = document.body.innerText;
      r.title = document.title;
      r.checks = [...document.querySelectorAll('article.check')].map((a) => ({
        id: a.dataset.check,
        title: a.querySelector('.title').textContent,
        status: a.querySelector('.st').innerText,
        visible: a.getBoundingClientRect().height > 0,
        rows: [...a.querySelectorAll('table.wf tbody tr')].map((tr) => {
          const track = tr.querySelector('.track');
          const tw = track.getBoundingClientRect();
          const fail = tr.querySelector('.failbar');
          return {
            failed: tr.classList.contains('failed'),
            text: tr.innerText,
            track: tw.width,
            failbar: fail ? fail.getBoundingClientRect().width : null,
            failbarText: fail ? fail.innerText : null,
            segs: [...tr.querySelectorAll('.seg')].map((s) => {
              const b = s.getBoundingClientRect();
              return { phase: s.dataset.phase, left: b.left - tw.left, width: b.width,
                color: getComputedStyle(s).backgroundColor };
            }),
            budgets: [...tr.querySelectorAll('.budget')].map((s) =>
              s.getBoundingClientRect().left - tw.left),
          };
        }),
      }));
      return r;
    }));
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    const clip = height ? { x: 0, y: 0, width: 1000, height: Math.min(full, Number(height)) } : undefined;
    await page.screenshot({ path: shot, fullPage: true, clip });
    // The same page in a phone's width: nothing wider than the window.
    await page.setViewportSize({ width: 360, height: 740 });
    out.narrow = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    out.pdf = { bytes: pdf.length, magic: pdf.subarray(0, 5).toString('latin1'),
      pages: (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length };
    // The screenshot's distinct colours, decoded by the browser itself on a blank page.
    const png = fs.readFileSync(shot).toString('base64');
    const blank = await ctx.newPage();
    out.colors = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set();
      for (let i = 0; i < d.length; i += 4)
        seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      return { width: c.width, height: c.height, distinct: seen.size };
    }, png);
  } finally {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

const guard = setTimeout(() => {
  console.error('html-browser: gave up after 150 s');
  process.exit(3);
}, 150000);
main().then(() => clearTimeout(guard), (e) => {
  console.error('html-browser: ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
