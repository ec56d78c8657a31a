#!/usr/bin/env bash
# The expiry benchmark of the access plugin (a benchmark, not a test): 10,000 grants that end in
# the same second, revoked by the engine against PostgreSQL, and the latency from an approval to
# the provisioner's grant call. Writes bench/expiry/results/latest.json and the "Expiry" section
# of docs/benchmarks.md.
#
#   bench/expiry/run.sh
#
# Needs the PostgreSQL server at 127.0.0.1:5432 (user postgres, may create databases).
# Settings (environment): BENCH_GRANTS (10000), BENCH_APPROVALS (300).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/env.sh
source scripts/lib/postgres.sh
setup_test_postgres
export JIT_ACCESS_REQUIRE_POSTGRES=1
export JIT_ACCESS_BENCH_RESULTS="$PWD/bench/expiry/results"
CI=true corepack yarn backstage-cli repo test \
  plugins/access-backend/src/engine/expiry.bench.test.ts --runInBand
node bench/expiry/report.js
