// Writes the expiry benchmark's results into docs/benchmarks.md, between its markers.
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const results = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'results/latest.json'), 'utf8'),
);
const { revocation, grantAfterApproval, loadAverage } = results;
const loads = values => (values ? values.join(' / ') : 'not recorded');
const ms = v => (Number.isFinite(v) ? `${Math.round(v)}` : 'never');
const verdict = (value, target) => (value < target ? 'met' : '**not met**');

const section = `<!-- expiry:start -->
## Expiry and grant latency

\`bench/expiry/run.sh\` (a benchmark, not a test). One run, ${new Date()
  .toISOString()
  .slice(0, 10)}, ${
  os.cpus().length
} cores, PostgreSQL on the same machine; the engine as the
backend runs it (wake-up timer, one-second watch), one instance, a provisioner that records the
time of each call and answers at once. Load average (1 / 5 / 15 minutes) before the run
${loads(loadAverage && loadAverage.before)}, after it ${loads(
  loadAverage && loadAverage.after,
)}: the machine is shared, so other work ran beside the benchmark.

**Revocation**: ${revocation.grants.toLocaleString(
  'en',
)} active grants (one per request, one
person each, \`overlap: independent\`) whose ends fall in the same second. Lateness is the
provisioner's revoke call time minus the grant's end.

| grants | p50 ms | p90 ms | p99 ms | max ms | target: p99 < 1,000 ms |
| -----: | -----: | -----: | -----: | -----: | ---------------------- |
| ${revocation.grants} | ${ms(revocation.lateMs.p50)} | ${ms(
  revocation.lateMs.p90,
)} | ${ms(revocation.lateMs.p99)} | ${ms(revocation.lateMs.max)} | ${verdict(
  revocation.lateMs.p99,
  1000,
)} |

**Bookkeeping**: the time from the end of that second until the last of the requests is
\`expired\` (each moved \`active\` → \`revoking\` → \`expired\` with one hash-chained audit event
per move), in the same run.

| requests | last request \`expired\` after the second | target: < 2,000 ms |
| -------: | ----------------------------------------: | ------------------ |
| ${revocation.grants} | ${ms(
  revocation.lastRequestExpiredMsAfterSecond,
)} ms | ${verdict(revocation.lastRequestExpiredMsAfterSecond, 2000)} |

The revoke calls are made as grants are claimed at their end (one statement per 500 grants).
Their outcomes are written in the background, a batch per transaction: the grants' rows, the
requests' moves (compare-and-set on each version; a request that moves to \`revoking\` and on to
\`expired\` is written once, by one UPDATE per batch on PostgreSQL) and their audit events,
appended in one go under the chain's lock as one JSON parameter. Earlier runs on the same kind of
machine, for comparison (each its own run, so only roughly comparable): writing each request's
moves and audit events one by one, the last request reached \`expired\` 59 s after the second;
batched, but with two writes per expiring request and an INSERT parameter per audit value,
4,175 ms (revocation p99 536 ms, load average 0.53 before the run). Writing in two lanes at
once (each request's outcomes always in the same lane) was tried on a quiet machine and not
kept: one run gave 2,560 ms with revocation p99 1,468 ms, the next 4,149 ms with p99 2,688 ms,
against 2,849 ms with p99 890 ms for one writer between them; the second writer takes the
database from the claims, which are what revocation waits on. The figures vary from run to run
on this kind of machine more than any change tried: five runs of the code above within the same
hour, each starting at a load average under 0.8, gave 2,849, 3,342, 2,925, 3,042 and 3,617 ms
(median 3,042 ms) and revocation p99 of 890, 1,247, 1,030, 1,174 and 1,409 ms (the 3,042 ms
run without the grants' new grantee index, to see whether its upkeep cost anything: not
measurably).

**Grant after approval**: ${
  grantAfterApproval.approvals
} requests approved one after another
through the HTTP API (at most 20 a second); latency from sending the approval to the
provisioner's grant call.

| approvals | p50 ms | p90 ms | p99 ms | max ms | target: p99 < 250 ms |
| --------: | -----: | -----: | -----: | -----: | -------------------- |
| ${grantAfterApproval.approvals} | ${ms(
  grantAfterApproval.latencyMs.p50,
)} | ${ms(grantAfterApproval.latencyMs.p90)} | ${ms(
  grantAfterApproval.latencyMs.p99,
)} | ${ms(grantAfterApproval.latencyMs.max)} | ${verdict(
  grantAfterApproval.latencyMs.p99,
  250,
)} |
<!-- expiry:end -->`;

const file = path.join(root, 'docs/benchmarks.md');
let doc = fs.readFileSync(file, 'utf8');
const pattern = /<!-- expiry:start -->[\s\S]*<!-- expiry:end -->/;
doc = pattern.test(doc)
  ? doc.replace(pattern, section)
  : `${doc.trimEnd()}\n\n${section}\n`;
fs.writeFileSync(file, doc);
console.log(section);
