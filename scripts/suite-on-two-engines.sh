#!/usr/bin/env bash
# The project's test suite as it stood at COMMIT (default 9f7be96: the last commit before the
# engine, when the suite ran on DynamoDB Local), timed on two engines, runs A B B A after one
# warm-up run that fills jest's transform cache:
#   A: DynamoDB Local, started by that commit's own jest globalSetup (Java);
#   B: today's engine, `single-table-kit serve` from this checkout's dist/, reached through
#      DYNAMODB_ENDPOINT (the suite's own switch; it then starts no JVM).
# Same test files, same code, same jest: only the engine differs.
#
# DynamoDB Local listens on every interface, so run this in a loopback-only namespace:
#   npm run build && sudo unshare -n bash scripts/suite-on-two-engines.sh [COMMIT]
# It installs the old commit's packages first (in a worktree), which needs the network, so run
# that outside the namespace: INSTALL_ONLY=1 bash scripts/suite-on-two-engines.sh. Java 17 runs
# DynamoDB Local. SUITE_JEST_ARGS (e.g. a test path) narrows every run, for a quick try.
set -uo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:-9f7be96}"
old="${SUITE_DIR:-${TMPDIR:-/tmp}/stk-suite-$commit}"
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

if [ ! -d "$old/node_modules" ]; then
  # Only into a worktree made here: never installs into (or runs in) a directory it did not create.
  git -C "$here" worktree add --detach "$old" "$commit" >/dev/null || { echo "cannot make a worktree at $old (set SUITE_DIR)" >&2; exit 2; }
  (cd "$old" && npm ci --no-audit --no-fund --loglevel=error) || exit 2
fi
[ -n "${INSTALL_ONLY:-}" ] && exit 0
[ -f "$here/dist/cli/main.js" ] || { echo "build this checkout first (npm run build)" >&2; exit 2; }
ip link set lo up 2>/dev/null || true

now() { date +%s.%N; }
tests() { grep -E '^Tests:' "$1" | sed 's/^Tests: *//'; }

local_run() {
  local log="$old/suite-local-$1.log" s e rc
  s=$(now); (cd "$old" && npx jest ${SUITE_JEST_ARGS:-} >"$log" 2>&1); rc=$?; e=$(now)
  printf '%-8s DynamoDB Local  %7.1f s  exit %d  %s\n' "$1" "$(echo "$e - $s" | bc)" "$rc" "$(tests "$log")"
}

engine_run() {
  local log="$old/suite-engine-$1.log" s e rc pid
  s=$(now)
  # A free port, read from what serve prints: never a server this script did not start.
  node "$here/dist/cli/main.js" serve --port 0 >"$old/serve.log" 2>&1 &
  pid=$!
  local endpoint=""
  for _ in $(seq 1 200); do
    endpoint="$(grep -m1 -oE '^http://127\.0\.0\.1:[0-9]+$' "$old/serve.log")" && break
    sleep 0.05
  done
  [ -n "$endpoint" ] || { kill "$pid"; echo "serve printed no endpoint: $old/serve.log" >&2; exit 2; }
  (cd "$old" && DYNAMODB_ENDPOINT="$endpoint" AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local npx jest ${SUITE_JEST_ARGS:-} >"$log" 2>&1); rc=$?
  e=$(now)
  kill "$pid"; wait "$pid" 2>/dev/null
  printf '%-8s engine          %7.1f s  exit %d  %s\n' "$1" "$(echo "$e - $s" | bc)" "$rc" "$(tests "$log")"
}

echo "suite of $(git -C "$old" log -1 --format='%h %ad' --date=short), node $(node --version), $(nproc) cores"
local_run warm-up
local_run A1
engine_run B1
engine_run B2
local_run A2
echo "per-file times: $old/suite-*.log"
