import { runSimulation } from './workflows/simulation/run-simulation';
const n = Number(process.argv[2] ?? 100);
const run = await runSimulation({ accounts: n, days: 180, policy: 'us-regf', seed: 1, onProgress: (p) => { if (p.day % 30 === 0) console.log('day', p.day, 'closed', p.closed, ((performance.now())/1000).toFixed(1)); } });
console.log('seconds', run.seconds.toFixed(1), 'violations', run.violations.length);
for (const v of run.violations.slice(0, 10)) console.log(JSON.stringify(v));
const reasons: Record<string, number> = {};
for (const a of run.accounts) { const k = `${a.profile}:${a.state.closeReason ?? 'open'}`; reasons[k] = (reasons[k] ?? 0) + 1; }
console.log(reasons);
console.log(JSON.stringify(run.usage));
