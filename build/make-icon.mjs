// Renders build/icon.svg to media/icon.png (128×128, the Marketplace icon) with playwright-core and the
// machine's chromium. Run by hand after changing the SVG (`node build/make-icon.mjs`); the PNG is committed.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const svg = fs.readFileSync(path.join(root, 'build/icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
await page.locator('svg').screenshot({ path: path.join(root, 'media/icon.png'), omitBackground: true });
await browser.close();
console.log('media/icon.png written');
