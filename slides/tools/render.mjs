// Renders the deck with the pinned marp-cli and checks it in a real browser.
//
//   node tools/render.mjs                  HTML and PDF into dist/, then the overflow check
//   node tools/render.mjs --pptx           the same, plus dist/deck.pptx
//   node tools/render.mjs --check-only     only the overflow check of an existing dist/deck.html
//   node tools/render.mjs --png            also every slide as a PNG in dist/png/ (to judge legibility)
//
// It never downloads a browser. It uses CHROME_PATH, or a Chromium or Chrome already installed.
// Exit codes: 0 fine, 1 a slide overflows or a render failed, 2 a prerequisite is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const slides = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(slides, outIndex >= 0 ? args[outIndex + 1] : 'dist');
const png = args.includes('--png');
const deckIndex = args.indexOf('--deck');
const deck = deckIndex >= 0 ? resolve(args[deckIndex + 1]) : join(slides, 'deck.md');
const checkOnly = args.includes('--check-only');
const pptx = args.includes('--pptx');

function fail(code, message) {
  console.error(message);
  process.exit(code);
}

function findBrowser() {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  ];
  return candidates.find((p) => p && existsSync(p) && statSync(p).isFile());
}

// Smallest text allowed on a 1280x720 slide, in CSS pixels: about 2.5% of the slide's height.
const MIN_FONT_PX = 18;

const browser = findBrowser();
if (!browser) {
  fail(2, 'No Chromium or Chrome found. Install one (Debian: apt-get install -y chromium) or set CHROME_PATH. This script never downloads a browser.');
}

const marpBin = join(slides, 'node_modules', '@marp-team', 'marp-cli', 'marp-cli.js');
if (!existsSync(marpBin)) {
  fail(2, `marp-cli is not installed in ${join(slides, 'node_modules')}. Run: cd slides && npm ci`);
}

// marp-cli launches the browser itself: the same one, no sandbox (CI runs as root), no GPU,
// and a fresh profile in a temporary folder (marp-cli makes one per run).
const env = {
  ...process.env,
  CHROME_PATH: browser,
  CHROME_NO_SANDBOX: '1',
  CHROME_DISABLE_GPU: '1',
};

function marp(...marpArgs) {
  const run = spawnSync(process.execPath, [marpBin, ...marpArgs], { cwd: slides, env, encoding: 'utf8' });
  if (run.status !== 0) {
    fail(1, `marp ${marpArgs.join(' ')} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
}

mkdirSync(out, { recursive: true });
const html = join(out, 'deck.html');
if (!checkOnly) {
  marp(deck, '--html', '--output', html);
  marp(deck, '--pdf', '--pdf-notes', '--allow-local-files', '--output', join(out, 'deck.pdf'));
  if (pptx) {
    marp(deck, '--pptx', '--allow-local-files', '--output', join(out, 'deck.pptx'));
  }
  if (png) {
    marp(deck, '--images', 'png', '--allow-local-files', '--output', join(out, 'png', 'slide.png'));
  }

  const pdfPath = join(out, 'deck.pdf');
  if (!readFileSync(pdfPath).subarray(0, 5).equals(Buffer.from('%PDF-'))) {
    fail(1, `${pdfPath} is not a PDF file.`);
  }
  const info = spawnSync('pdfinfo', [pdfPath], { encoding: 'utf8' });
  const pages = info.status === 0 ? /Pages:\s+(\d+)/.exec(info.stdout)?.[1] : undefined;
  console.log(`rendered ${html} and ${pdfPath}${pages ? ` (${pages} pages)` : ''}${pptx ? ' and deck.pptx' : ''}`);
}

if (!existsSync(html)) {
  fail(2, `${html} does not exist; run without --check-only first.`);
}

// The overflow check: open the exported HTML in the same headless browser and measure each slide.
const { default: puppeteer } = await import('puppeteer-core');
const profile = mkdtempSync(join(tmpdir(), 'tlslab-slides-chromium-'));
const chromium = await puppeteer.launch({
  executablePath: browser,
  headless: true,
  userDataDir: profile,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ],
});

let problems = [];
let count = 0;
let checkFailure;
try {
  const page = await chromium.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  // The presenting template shows one slide at a time: make every slide take part in layout.
  await page.addStyleTag({
    content: 'svg[data-marpit-svg]{display:block !important;visibility:visible !important;opacity:1 !important;position:static !important;transform:none !important;width:1280px !important;height:720px !important;}',
  });
  // marp-core fits each code block with a <marp-auto-scaling> element whose ResizeObserver sets its SVG's
  // viewBox one or more frames after layout; until then the block is drawn at the SVG default size and
  // looks like an overflow. On a loaded machine the observer sometimes reports only while the slide is
  // still hidden (a 0x0 viewBox) and never again, even when reconnected. So a scaler whose viewBox does
  // not fit what it scales is reconnected at once, and if it still does not fit 30 frames later it gets
  // marp-core's own update (its updateSVGRect) with the sizes its observer would have reported. The
  // slides are measured only once every viewBox fits and the layout has stayed the same for a few frames
  // in a row. Counting frames, not milliseconds: a loaded machine only draws them later.
  const settled = await page.evaluate(async (stableFrames, maxFrames, nudgeEvery) => {
    const nextFrame = () => new Promise((done) => requestAnimationFrame(() => done()));
    const scalers = () => [...document.querySelectorAll('pre[is="marp-pre"], marp-pre')]
      .map((pre) => pre.shadowRoot?.querySelector('marp-auto-scaling'));
    // Fits when the viewBox is the size of what it scales as laid out now (marp-core's own rule).
    const problem = (scaler) => {
      const svg = scaler?.shadowRoot?.querySelector('svg');
      const box = svg?.getAttribute('viewBox')?.split(' ').map(Number);
      const content = svg?.querySelector('span[data-marp-auto-scaling-container]');
      const wrapper = scaler?.shadowRoot?.querySelector('div[data-marp-auto-scaling-wrapper]');
      if (!box || !content || !wrapper) {
        return 'not set up yet';
      }
      const width = scaler.dataset.downscaleOnly !== undefined ? Math.max(content.offsetWidth, wrapper.offsetWidth) : content.offsetWidth;
      return Math.abs(box[2] - width) <= 1 && Math.abs(box[3] - content.offsetHeight) <= 1
        ? null
        : `viewBox ${box.join(' ')} for content ${width}x${content.offsetHeight}`;
    };
    const reconnect = () => {
      for (const scaler of scalers()) {
        if (scaler && problem(scaler) !== null) {
          scaler.parentNode.insertBefore(scaler, scaler.nextSibling); // removed and re-inserted: disconnected, then connected
        }
      }
    };
    let updated = 0;
    const update = () => {
      for (const scaler of scalers()) {
        const svg = scaler?.shadowRoot?.querySelector('svg');
        const content = svg?.querySelector('span[data-marp-auto-scaling-container]');
        const wrapper = scaler?.shadowRoot?.querySelector('div[data-marp-auto-scaling-wrapper]');
        if (content && wrapper && typeof scaler.updateSVGRect === 'function' && problem(scaler) !== null) {
          scaler.containerSize = { width: content.offsetWidth, height: content.offsetHeight };
          scaler.wrapperSize = { width: wrapper.offsetWidth, height: wrapper.offsetHeight };
          scaler.updateSVGRect();
          updated++;
        }
      }
    };
    const snapshot = () => JSON.stringify([
      [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')].map((s) => [s.scrollWidth, s.scrollHeight]),
      scalers().map((scaler) => scaler?.shadowRoot?.querySelector('svg')?.getAttribute('viewBox') ?? null),
    ]);
    reconnect();
    let last = null;
    let same = 0;
    for (let frame = 0; frame < maxFrames; frame++) {
      await nextFrame();
      const now = snapshot();
      const ready = scalers().every((scaler) => problem(scaler) === null);
      same = ready && now === last ? same + 1 : 0;
      last = now;
      if (same >= stableFrames) {
        return { ok: true, frames: frame + 1, updated };
      }
      if (!ready && frame % nudgeEvery === nudgeEvery - 1) {
        update();
      }
    }
    const stale = scalers().map(problem).filter((p) => p !== null);
    return { ok: false, frames: maxFrames, waiting: stale.length, first: stale[0] };
  }, 3, 2000, 30);
  if (!settled.ok) {
    throw new Error(`The slides' layout did not settle within ${settled.frames} animation frames (${settled.waiting} code block(s) still not scaled by marp-core; the first: ${settled.first}); nothing was measured.`);
  }
  console.log(`layout settled after ${settled.frames} frames${settled.updated ? ` (${settled.updated} code-block scaler(s) given marp-core's update by hand)` : ''}`);
  const result = await page.evaluate((minFontPx) => {
    const sections = [...document.querySelectorAll('svg[data-marpit-svg] > foreignObject > section')];
    const found = [];
    sections.forEach((section, index) => {
      const frame = section.getBoundingClientRect();
      const scaleX = frame.width / section.offsetWidth || 1;
      const scaleY = frame.height / section.offsetHeight || 1;
      const slide = index + 1;
      const title = (section.querySelector('h1, h2')?.textContent ?? '').trim();
      const describe = (el) => {
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
        return `<${el.tagName.toLowerCase()}> "${text.slice(0, 60)}${text.length > 60 ? '…' : ''}"`;
      };
      if (section.scrollHeight > section.clientHeight + 1 || section.scrollWidth > section.clientWidth + 1) {
        found.push({ slide, title, what: `the slide's content is ${section.scrollWidth}x${section.scrollHeight}, its frame ${section.clientWidth}x${section.clientHeight}` });
      }
      for (const el of section.querySelectorAll('*')) {
        const style = getComputedStyle(el);
        if (style.position === 'absolute' && (el.tagName === 'HEADER' || el.tagName === 'FOOTER')) {
          continue;
        }
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) {
          continue;
        }
        const tol = 1;
        const outside =
          (box.left - frame.left) / scaleX < -tol ||
          (box.top - frame.top) / scaleY < -tol ||
          (frame.right - box.right) / scaleX < -tol ||
          (frame.bottom - box.bottom) / scaleY < -tol;
        if (outside) {
          found.push({ slide, title, what: `${describe(el)} reaches outside the slide (${Math.round((box.left - frame.left) / scaleX)},${Math.round((box.top - frame.top) / scaleY)} to ${Math.round((box.right - frame.left) / scaleX)},${Math.round((box.bottom - frame.top) / scaleY)} in a 1280x720 frame)` });
          continue;
        }
        // Text that marp-cli shrank to fit (code blocks are scaled down rather than cut), or that
        // is simply too small to read from the back of a room.
        if (el.tagName !== 'HEADER' && el.tagName !== 'FOOTER' && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '')) {
          const scale = el.offsetWidth > 0 ? box.width / el.offsetWidth / scaleX : 1;
          const px = parseFloat(style.fontSize) * scale;
          if (px < minFontPx) {
            found.push({ slide, title, what: `${describe(el)} is shown at ${px.toFixed(1)}px, under the ${minFontPx}px minimum for a projector (shorten the lines or split the slide)` });
            continue;
          }
        }
        // A block whose own content is wider or taller than the block: clipped or scrolled on screen.
        const block = ['block', 'flex', 'grid', 'table', 'list-item'].includes(style.display);
        if (block && el.clientWidth > 0 && (el.scrollWidth > el.clientWidth + tol || el.scrollHeight > el.clientHeight + tol) && style.overflow !== 'visible') {
          found.push({ slide, title, what: `${describe(el)} is cut off: content ${el.scrollWidth}x${el.scrollHeight} in a ${el.clientWidth}x${el.clientHeight} box` });
        }
      }
    });
    return { count: sections.length, found };
  }, MIN_FONT_PX);
  count = result.count;
  problems = result.found;
} catch (error) {
  checkFailure = `The overflow check could not run: ${error.message}`;
} finally {
  await chromium.close();
  rmSync(profile, { recursive: true, force: true });
}

if (checkFailure) {
  fail(1, checkFailure);
}

if (count === 0) {
  fail(1, `No slides found in ${html}: is it a Marp export?`);
}

// Keep a few lines per slide, and one 'too small' line per slide, so a failure reads well.
const bySlide = new Map();
for (const p of problems) {
  const lines = bySlide.get(p.slide) ?? { title: p.title, lines: [] };
  const small = p.what.includes('minimum for a projector');
  if (!(small && lines.lines.some((l) => l.includes('minimum for a projector'))) && lines.lines.length < 3 && !lines.lines.includes(p.what)) {
    lines.lines.push(p.what);
  }
  bySlide.set(p.slide, lines);
}

if (bySlide.size > 0) {
  console.log(`OVERFLOW: ${bySlide.size} of ${count} slides overflow their frame or shrink text below ${MIN_FONT_PX}px:`);
  for (const [slide, { title, lines }] of bySlide) {
    for (const line of lines) {
      console.log(`  slide ${slide} (${title || 'untitled'}): ${line}`);
    }
  }
  process.exit(1);
}

console.log(`overflow check: ${count} slides, none overflows its 1280x720 frame, no text under ${MIN_FONT_PX}px`);
