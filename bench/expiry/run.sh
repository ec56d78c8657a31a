#!/usr/bin/env bash
# The expiry benchmark of the access plugin (a benchmark, not a test): 10,000 grants that end in
# the same second, revoked by the engine against PostgreSQL, and the latency from an approval to
# the provisioner's grant call. Writes bench/expiry/results/latest.json and the expiry section of
# docs/benchmarks.md (between its <!-- expiry:start --> and <!-- expiry:end --> markers, which
# the API benchmark's report keeps).
#
#   bench/expiry/run.sh
#
# Needs the PostgreSQL server at 127.0.0.1:5432 (user postgres, may create databases).
# Settings (environment): BENCH_GRANTS (10000), BENCH_RUNS (5 runs of the expiry, each on a new
# database), BENCH_APPROVALS (300). BENCH_CPU_PROFILE=<file> writes a CPU profile of the last run.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/env.sh
source scripts/lib/postgres.sh
setup_test_postgres
export JIT_ACCESS_REQUIRE_POSTGRES=1
export JIT_ACCESS_BENCH_RESULTS="$PWD/bench/expiry/results"
# The load average (1, 5, 15 minutes) before the run; the benchmark records it beside the one after.
BENCH_LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_LOAD_BEFORE
CI=true corepack yarn backstage-cli repo test \
  plugins/access-backend/src/engine/expiry.bench.test.ts --runInBand
node bench/expiry/report.js
# In the repository's formatting, like every other file (prettier --check . in scripts/test).
node_modules/.bin/prettier --loglevel warn --write docs/benchmarks.md bench/expiry/results/latest.json
