import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1200, height: 900 } });
p.on('console', (m) => console.log('console', m.type(), m.text()));
await p.goto('http://127.0.0.1:8787/desk');
await p.getByText('Sign in as agent-1').click();
await p.waitForTimeout(1500);
await p.screenshot({ path: '/tmp/desk-queue.png', fullPage: true });
const claim = p.getByRole('button', { name: /claim/i }).first();
if (await claim.count()) { await claim.click(); await p.waitForTimeout(1500); await p.screenshot({ path: '/tmp/desk-call.png', fullPage: true }); }
else console.log('no claim button');
await b.close();
