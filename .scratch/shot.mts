import { chromium } from 'playwright-core';
const [url, out, width] = process.argv.slice(2);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: Number(width ?? 1200), height: 900 } });
p.on('console', (m) => console.log('console', m.type(), m.text()));
await p.goto(url); await p.waitForTimeout(800);
await p.screenshot({ path: out, fullPage: true });
await b.close();
