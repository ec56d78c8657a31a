#!/usr/bin/env bash
# The API benchmark of the access plugin (a benchmark, not a test): 1,000,000 requests in
# PostgreSQL, latency of "my requests" (first page and page 1,000), the approver inbox and submit
# at a sustained request rate. Writes bench/api/results/ and docs/benchmarks.md.
#
#   bench/api/run.sh
#
# Needs the PostgreSQL server at 127.0.0.1:5432 (user postgres, may create databases) and port
# 7107 free. Each run drops the backstage_plugin_* databases first and starts from fresh
# migrations; it stops the backend it started, also when it fails or is interrupted.
# Settings (environment): BENCH_MODE (production: the built backend, as deployed; development:
# the backend as `yarn start` runs it), BENCH_REQUESTS (1000000), BENCH_RATE (10 requests/s),
# BENCH_SUBMIT_RATE and BENCH_DEEP_RATE (page 1,000; both default to BENCH_RATE),
# BENCH_DURATION (180 s), BENCH_WARMUP (10 s), BENCH_KEEP_DB=1 to keep the seeded databases
# afterwards. Backend log: bench/api/logs/ (not versioned).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib/env.sh

BENCH_STARTED=$(date +%s)
export BENCH_STARTED
export BENCH_MODE=${BENCH_MODE:-production}
case "$BENCH_MODE" in
  production | development) ;;
  *)
    echo "BENCH_MODE must be production or development, not '$BENCH_MODE'" >&2
    exit 2
    ;;
esac
PORT=7107 # backend.listen.port in app-config.bench.yaml
BASE_URL="http://localhost:${PORT}"
LOG_DIR=bench/api/logs
mkdir -p "$LOG_DIR" bench/api/results
BACKEND_PID=
BUNDLE_DIR=
# The backend's event-loop and garbage collection probe (bench/api/probe.cjs) writes here.
export BENCH_PROBE_FILE="$PWD/$LOG_DIR/probe.jsonl"

port_busy() {
  node -e '
    const s = require("net").connect(Number(process.argv[1]), "127.0.0.1");
    s.on("connect", () => { s.end(); process.exit(0); });
    s.on("error", () => process.exit(1));
  ' "$PORT"
}

healthy() {
  node -e '
    fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1));
  ' "$BASE_URL/api/access/health"
}

stop_backend() {
  if [ -n "$BACKEND_PID" ] && kill -0 "$BACKEND_PID" 2>/dev/null; then
    echo "Stopping the benchmark backend"
    kill -TERM -- "-$BACKEND_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 -- "-$BACKEND_PID" 2>/dev/null || break
      sleep 1
    done
    kill -KILL -- "-$BACKEND_PID" 2>/dev/null || true
  fi
  BACKEND_PID=
}

cleanup() {
  local status=$?
  stop_backend
  if [ -n "$BUNDLE_DIR" ]; then
    rm -rf "$BUNDLE_DIR"
  fi
  if [ -z "${BENCH_KEEP_DB:-}" ]; then
    node bench/api/db.js reset >/dev/null 2>&1 || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 12); do
  port_busy || break
  echo "Port $PORT is busy; waiting for it to be free"
  sleep 5
done
if port_busy; then
  echo "Port $PORT is still busy: stop what listens there, then run again" >&2
  exit 1
fi

echo "== Fresh databases"
node bench/api/db.js reset

PROBE="$PWD/bench/api/probe.cjs"
: >"$BENCH_PROBE_FILE"
if [ "$BENCH_MODE" = production ]; then
  # As a platform team deploys it (Backstage's Dockerfile): the production build of the backend
  # and its workspace packages, unpacked; third-party packages are the installed ones.
  echo "== Building the backend (yarn build:backend); log in $LOG_DIR/build.log"
  yarn build:backend >"$LOG_DIR/build.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/build.log" >&2
    exit 1
  }
  BUNDLE_DIR=$(mktemp -d)
  tar -xzf packages/backend/dist/skeleton.tar.gz -C "$BUNDLE_DIR"
  tar -xzf packages/backend/dist/bundle.tar.gz -C "$BUNDLE_DIR"
  node bench/api/linkModules.js "$BUNDLE_DIR"
  echo "== Starting the production backend on :$PORT (PostgreSQL); log in $LOG_DIR/backend.log"
  # From packages/backend, like `yarn start`: the catalog's file locations are relative to it.
  (
    cd packages/backend
    export NODE_ENV=production
    exec setsid node --require "$PROBE" "$BUNDLE_DIR/packages/backend" \
      --config ../../app-config.yaml --config ../../app-config.bench.yaml
  ) >"$LOG_DIR/backend.log" 2>&1 &
else
  echo "== Starting the development backend on :$PORT (PostgreSQL); log in $LOG_DIR/backend.log"
  # What `yarn workspace backend start --config ../../app-config.yaml --config
  # ../../app-config.bench.yaml` runs (backstage-cli package start: Node with Backstage's
  # TypeScript transform, NODE_ENV=development), minus its file watcher: a source file saved
  # during the run would otherwise restart the backend in the middle of a measurement. In its
  # own process group, so that stopping it stops everything it spawned.
  TRANSFORM=$(cd packages/backend && node -p 'require.resolve("@backstage/cli-node/config/nodeTransform.cjs")')
  (
    cd packages/backend
    export NODE_ENV=development ESBK_TSCONFIG_PATH="$PWD/../../tsconfig.json"
    exec setsid node --enable-source-maps --require "$PROBE" --require "$TRANSFORM" src/index.ts \
      --config ../../app-config.yaml --config ../../app-config.bench.yaml
  ) >"$LOG_DIR/backend.log" 2>&1 &
fi
BACKEND_PID=$!

for i in $(seq 1 180); do
  if ! kill -0 "$BACKEND_PID" 2>/dev/null; then
    echo "The backend exited; the end of its log:" >&2
    tail -n 30 "$LOG_DIR/backend.log" >&2
    exit 1
  fi
  if healthy; then
    echo "Healthy after ${i} s"
    break
  fi
  if [ "$i" = 180 ]; then
    echo "The backend did not become healthy within 180 s" >&2
    exit 1
  fi
  sleep 1
done

echo "== Seeding ${BENCH_REQUESTS:-1000000} requests"
node bench/api/db.js seed

echo "== Measuring"
BENCH_BASE_URL="$BASE_URL" BENCH_BACKEND_PGID="$BACKEND_PID" node bench/api/bench.js

stop_backend

echo "== Writing docs/benchmarks.md"
node bench/api/report.js
# In the repository's formatting, like every other file (prettier --check . in scripts/test).
node_modules/.bin/prettier --loglevel warn --write docs/benchmarks.md bench/api/results/results.json
echo "Done: docs/benchmarks.md, bench/api/results/"
