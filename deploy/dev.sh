#!/usr/bin/env bash
# jalin development script: install dependencies, build, run, test.
#
#   deploy/dev.sh up       install what is missing, build, start Redis and every
#                          service (data under var/), wait until all are SERVING,
#                          load the Jawa Tengah demo dataset
#   deploy/dev.sh down     stop what `up` started
#   deploy/dev.sh status   health of each service
#   deploy/dev.sh test     install what is missing, build, run every test
#   deploy/dev.sh deps     only install what is missing
#   deploy/dev.sh build [release|asan] [targets...]
#   deploy/dev.sh bench <scenario> [--scale N]
#   deploy/dev.sh demo     (re)load the demo dataset into the running suite
#
# Works on a fresh Debian bookworm machine: packages come from
# deploy/packages.txt. Needs root or sudo for apt-get.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VAR="$ROOT/var"
RUN="$VAR/run"
LOGS="$VAR/log"
JOBS=${JALIN_JOBS:-2}

# Ports of `up` (gRPC; metrics on +1000).
SERVICES=(registry matching curation notification gateway)
declare -A PORT=([registry]=7101 [matching]=7102 [curation]=7103
                 [notification]=7104 [gateway]=7105)
REDIS_PORT=${JALIN_DEV_REDIS_PORT:-6390}

say() { printf '\033[1m[dev]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[dev] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@";
  elif command -v sudo >/dev/null; then sudo "$@";
  else die "need root or sudo to run: $*"; fi
}

# --- dependencies -----------------------------------------------------------

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

# A line of packages.txt names one package, or alternatives "a | b": any one
# of them installed will do, and the first is installed when none is (e.g.
# Debian's kubernetes-client, unless another package already provides kubectl).
deps() {
  local wanted missing=() line alts alt found
  mapfile -t wanted < <(grep -vE '^\s*(#|$)' "$ROOT/deploy/packages.txt")
  for line in "${wanted[@]}"; do
    IFS='|' read -ra alts <<< "$line"
    found=0
    for alt in "${alts[@]}"; do
      alt=${alt//[[:space:]]/}
      if installed "$alt"; then found=1; break; fi
    done
    [ $found = 1 ] || missing+=("${alts[0]//[[:space:]]/}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${#missing[@]} package(s): ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  web_deps
}

# The dashboard's tools: Node.js (Debian's nodejs and npm, only when no node
# is installed at all) and its npm packages from web/package-lock.json.
web_deps() {
  if ! command -v node >/dev/null; then
    say "installing nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  local web="$ROOT/web"
  if [ ! -f "$web/node_modules/.package-lock.json" ] ||
     [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    say "installing the dashboard's npm packages"
    (cd "$web" && npm ci --no-audit --no-fund >/dev/null)
  fi
}

# --- build ------------------------------------------------------------------

ccache_env() {
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=1 CCACHE_COMPRESS=1
  export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}
}

# build <config> [targets...]: one build directory per configuration.
build() {
  local config=${1:-release}; shift || true
  local dir="$ROOT/build/$config" flags=()
  case "$config" in
    release) flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    asan)    flags=(-DCMAKE_BUILD_TYPE=Debug -DJALIN_SANITIZE=ON) ;;
    *) die "unknown build configuration '$config' (release or asan)" ;;
  esac
  ccache_env
  if [ ! -f "$dir/build.ninja" ]; then
    say "configuring $config in build/$config"
    cmake -S "$ROOT" -B "$dir" -G Ninja "${flags[@]}" >/dev/null
  fi
  say "building $config${*:+ ($*)}"
  cmake --build "$dir" -j "$JOBS" ${*:+--target "$@"}
  build_web
}

# web/dist, which the gateway serves, from web/src when a source changed.
build_web() {
  local web="$ROOT/web"
  if [ ! -f "$web/dist/build.json" ] || [ -n "$(find "$web/src" "$web/build.mjs" \
       "$web/package-lock.json" -newer "$web/dist/build.json" -print -quit)" ]; then
    say "building the dashboard (web/dist)"
    node "$web/build.mjs" >/dev/null
  fi
}

# --- run --------------------------------------------------------------------

BIN="$ROOT/build/release"

pidfile() { echo "$RUN/$1.pid"; }

running() {
  local f; f=$(pidfile "$1")
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null
}

start_redis() {
  mkdir -p "$VAR/redis" "$RUN" "$LOGS"
  if running redis; then return; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$VAR/redis" \
    --appendonly yes --appendfsync everysec --save "" --daemonize no \
    --logfile "$LOGS/redis.log" >/dev/null 2>&1 &
  echo $! > "$(pidfile redis)"
  for _ in $(seq 50); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
  die "redis-server did not start; see $LOGS/redis.log"
}

dev_env() {
  export JALIN_REDIS="127.0.0.1:$REDIS_PORT"
  export JALIN_JWT_HS256_SECRET_FILE="$VAR/jwt-secret"
  for s in "${SERVICES[@]}"; do
    local upper; upper=$(echo "$s" | tr a-z A-Z)
    export "JALIN_${upper}_ADDRESS=127.0.0.1:${PORT[$s]}"
  done
}

start_service() {
  local s=$1
  if running "$s"; then say "$s already running"; return; fi
  local store=()
  [ "$s" = gateway ] || store=(--store="$VAR/$s.db")
  (cd "$ROOT" && exec "$BIN/services/$s/jalin-$s" \
      --grpc_listen="127.0.0.1:${PORT[$s]}" \
      --metrics_listen="127.0.0.1:$(( ${PORT[$s]} + 1000 ))" \
      "${store[@]}" >>"$LOGS/$s.log" 2>&1) &
  echo $! > "$(pidfile "$s")"
}

up() {
  deps
  build release
  mkdir -p "$VAR" "$RUN" "$LOGS"
  if [ ! -s "$VAR/jwt-secret" ]; then
    head -c 48 /dev/urandom | base64 | tr -d '\n/+=' > "$VAR/jwt-secret"
    chmod 600 "$VAR/jwt-secret"
  fi
  dev_env
  start_redis
  for s in "${SERVICES[@]}"; do start_service "$s"; done
  local addrs=()
  for s in "${SERVICES[@]}"; do addrs+=("127.0.0.1:${PORT[$s]}"); done
  if ! "$BIN/tools/jalinctl/jalinctl" health --wait 60s \
      --address "$(IFS=,; echo "${addrs[*]}")" >/dev/null; then
    status || true
    die "not every service became SERVING; logs in $LOGS"
  fi
  local token
  token=$("$BIN/tools/jalinctl/jalinctl" token --role admin --ttl 720h \
            --subject users/dev-admin)
  echo "$token" > "$VAR/dev-token"
  load_demo || say "the demo dataset is not (fully) loaded; retry with: deploy/dev.sh demo"
  cat <<MSG

jalin is up. Data in var/, logs in var/log/, stop with: deploy/dev.sh down

  service        gRPC              metrics
MSG
  for s in "${SERVICES[@]}"; do
    printf '  %-14s 127.0.0.1:%-7s http://127.0.0.1:%s/metrics\n' \
      "$s" "${PORT[$s]}" "$(( ${PORT[$s]} + 1000 ))"
  done
  cat <<MSG
  redis          127.0.0.1:$REDIS_PORT

Dashboard: http://127.0.0.1:8080/ (served by the gateway from web/dist)
  sign in by pasting the development token below.

Development token (admin, 30 days), also in var/dev-token:
  $token
Mint others with:
  build/release/tools/jalinctl/jalinctl token --role facilitator --regions 33.11,33.13

First thing to try (demo data of Jawa Tengah; jalinctl uses var/dev-token):
  build/release/tools/jalinctl/jalinctl report channeling --from 33.11 --to 33.13
MSG
}

# --- demo data --------------------------------------------------------------

# Generates the Jawa Tengah demo dataset (jalin-datagen's fixed default seed:
# the same records every time, certificates dated for the current month) and
# imports it with jalinctl as the integrator of province 33, then waits until
# matching has indexed it.
# Safe to repeat: records already imported report "unchanged". Services are
# reached at JALIN_<SERVICE>_ADDRESS and the token is minted with
# JALIN_JWT_HS256_SECRET_FILE (dev_env sets both); JALIN_BIN_DIR and
# JALIN_DEMO_DIR override where the binaries are and where the files go.
load_demo() {
  local bin=${JALIN_BIN_DIR:-$BIN}
  local demo=${JALIN_DEMO_DIR:-$VAR/demo}
  local ctl="$bin/tools/jalinctl/jalinctl"
  say "generating the Jawa Tengah demo dataset in $demo"
  "$bin/tools/datagen/jalin-datagen" --provinces 33 --out "$demo" \
    --data_dir "$ROOT/data" >&2 || return 1
  local token admin
  token=$("$ctl" token --role integrator --regions 33 --ttl 2h \
            --subject systems/jalin-demo --source_system jalin-demo) || return 1
  admin=$("$ctl" token --role admin --ttl 10m --subject users/jalin-demo) \
    || return 1
  say "importing it (records imported before report 'unchanged')"
  local code=0
  "$ctl" import "$demo/clusters.csv" "$demo/partners.csv" \
    "$demo/enterprises.csv" "$demo/listings.csv" --token "$token" \
    --progress plain >&2 || code=$?
  case $code in
    0) ;;
    4) say "some demo rows were rejected; see $demo/*.rejected.csv" ;;
    *) say "the demo import stopped (jalinctl exit code $code)"; return 1 ;;
  esac
  say "waiting until matching has indexed the demo data"
  local report
  for _ in $(seq 240); do
    report=$("$ctl" report channeling --from 33.11 --to 33.13 --output json \
               --token "$admin" 2>/dev/null) || report=
    # proto3 JSON leaves out zero counts: both present means both directions.
    if grep -q '"aToBCount"' <<<"$report" && grep -q '"bToACount"' <<<"$report"; then
      say "demo data loaded"
      return 0
    fi
    sleep 0.5
  done
  say "matching has not indexed the demo data after 2 minutes"
  return 1
}

down() {
  local stopped=0
  for s in "${SERVICES[@]}" redis; do
    local f; f=$(pidfile "$s")
    [ -f "$f" ] || continue
    local pid; pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      stopped=$((stopped + 1))
    fi
    rm -f "$f"
  done
  say "stopped $stopped process(es)"
}

status() {
  for s in "${SERVICES[@]}"; do
    if running "$s"; then
      "$BIN/tools/jalinctl/jalinctl" health --address "127.0.0.1:${PORT[$s]}" \
        | sed "s/^/$s /" || true
    else
      echo "$s not running"
    fi
  done
  running redis && echo "redis running on 127.0.0.1:$REDIS_PORT" || echo "redis not running"
}

# --- test -------------------------------------------------------------------

test_all() {
  deps
  local start=$SECONDS
  build release
  say "running every test (release)"
  local release_ok=0
  ctest --test-dir "$ROOT/build/release" -j "$JOBS" --output-on-failure \
    --timeout 600 2>&1 | tee "$ROOT/build/release/test.log" | grep -vE '^ +Start ' \
    || true
  grep -q "tests passed, 0 tests failed" "$ROOT/build/release/test.log" && release_ok=1

  build asan jalin_unit_tests
  say "running unit tests under AddressSanitizer + UBSan"
  local asan_ok=0
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir "$ROOT/build/asan" -L unit -j "$JOBS" --output-on-failure \
    --timeout 600 2>&1 | tee "$ROOT/build/asan/test.log" | grep -vE '^ +Start ' \
    || true
  grep -q "tests passed, 0 tests failed" "$ROOT/build/asan/test.log" && asan_ok=1

  echo
  say "summary ($(( SECONDS - start )) s)"
  printf '  release: %s\n' "$(grep -E 'tests passed' "$ROOT/build/release/test.log" || echo 'no result')"
  printf '  asan:    %s\n' "$(grep -E 'tests passed' "$ROOT/build/asan/test.log" || echo 'no result')"
  [ $release_ok = 1 ] && [ $asan_ok = 1 ] || die "tests failed"
  say "all tests passed"
}

# --- main -------------------------------------------------------------------

cmd=${1:-help}; shift || true
case "$cmd" in
  deps)   deps ;;
  build)  deps; build "${1:-release}" "${@:2}" ;;
  up)     up ;;
  down)   down ;;
  status) status ;;
  test)   test_all ;;
  bench)  deps; build release jalin-bench; "$BIN/tools/bench/jalin-bench" "$@" ;;
  demo)   [ -n "${JALIN_REGISTRY_ADDRESS:-}" ] || dev_env; load_demo ;;
  *) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; [ "$cmd" = help ] || exit 2 ;;
esac
