#!/usr/bin/env bash
# Provisions what Stayflow needs outside npm, idempotently and with caches, without internet access beyond the
# package registries:
#   temporal     the `temporal` CLI (dev server + Web UI), built from the Go module proxy when not found
#   test-server  Temporal's time-skipping test server (Java) from Maven Central, with a fast-start wrapper
#   postgres     a PostgreSQL server (Debian package) for the Postgres test lane
#   chromium     Debian's Chromium, which the browser test lane drives headless (playwright-core)
#   schemathesis schemathesis (PyPI, pinned) in a Python virtual environment, for the fuzz test lane
#   all          every one of the above
# Each step prints what it does and how long it took; a second run finds the cache and returns in milliseconds.
# The resolved paths are written to $STAYFLOW_CACHE_DIR/paths.env for the start script and the tests to read.
set -euo pipefail

CACHE_DIR="${STAYFLOW_CACHE_DIR:-$HOME/.cache/stayflow}"
TEMPORAL_CLI_VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
SCHEMATHESIS_VERSION="${SCHEMATHESIS_VERSION:-4.32.5}"
TEST_SERVER_VERSION="$(sed -n 's:.*<temporal.test-server.version>\(.*\)</temporal.test-server.version>.*:\1:p' "$(dirname "$0")/test-server/pom.xml")"
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$CACHE_DIR"

log() { printf '[provision] %s\n' "$*" >&2; }
since() { echo "$(( $(date +%s) - $1 ))s"; }

# Keeps the resolved paths in one small env file (KEY=value lines) shared by every caller.
record() {
  local key="$1" value="$2" file="$CACHE_DIR/paths.env"
  touch "$file"
  grep -v "^$key=" "$file" > "$file.tmp" || true
  echo "$key=$value" >> "$file.tmp"
  mv "$file.tmp" "$file"
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "need root to install Debian packages: $*  (run: sudo apt-get install -y $*)"
    return 1
  fi
  # apt-get update once per day is enough; the lists are what make `install` find current versions.
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null | head -1)" ]; then
    log "apt-get update"
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

provision_temporal() {
  local t0; t0=$(date +%s)
  local bin=""
  if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "${TEMPORAL_CLI_PATH}" ]; then
    bin="$TEMPORAL_CLI_PATH"; log "temporal CLI from TEMPORAL_CLI_PATH: $bin"
  elif [ -x "$CACHE_DIR/temporal-$TEMPORAL_CLI_VERSION/temporal" ]; then
    bin="$CACHE_DIR/temporal-$TEMPORAL_CLI_VERSION/temporal"; log "temporal CLI from cache: $bin"
  elif command -v temporal >/dev/null 2>&1 && temporal server start-dev --help >/dev/null 2>&1; then
    bin="$(command -v temporal)"; log "temporal CLI from PATH: $bin"
  elif command -v go >/dev/null 2>&1; then
    # Later CLI tags carry `replace` directives that `go install pkg@version` refuses; v1.5.1 has none.
    log "building the temporal CLI $TEMPORAL_CLI_VERSION from the Go module proxy (first time only: ~5-10 min on 2 cores)"
    local dest="$CACHE_DIR/temporal-$TEMPORAL_CLI_VERSION"
    mkdir -p "$dest.partial"
    # -x would drown the log; print a heartbeat instead so a person sees the build move.
    ( while sleep 30; do log "  ... still building temporal CLI ($(since "$t0"))"; done ) &
    local beat=$!
    if CGO_ENABLED=0 GOBIN="$dest.partial" GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
        go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2; then
      kill "$beat" 2>/dev/null || true
      rm -rf "$dest" && mv "$dest.partial" "$dest"
      bin="$dest/temporal"
    else
      kill "$beat" 2>/dev/null || true
      log "go install of the temporal CLI failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
      return 1
    fi
  else
    log "no temporal CLI and no Go toolchain: install Go (apt-get install golang) or set TEMPORAL_CLI_PATH"
    return 1
  fi
  record TEMPORAL_CLI_PATH "$bin"
  log "temporal CLI ready ($(since "$t0"))"
}

provision_test_server() {
  local t0; t0=$(date +%s)
  local dir="$CACHE_DIR/temporal-test-server-$TEST_SERVER_VERSION"
  if ! command -v java >/dev/null 2>&1; then
    log "installing a Java runtime (Debian openjdk-17-jre-headless)"
    apt_install openjdk-17-jre-headless
  fi
  if [ ! -f "$dir/lib/.complete" ]; then
    if ! command -v mvn >/dev/null 2>&1; then
      log "installing Maven (Debian maven)"
      apt_install maven
    fi
    log "fetching io.temporal:temporal-test-server:$TEST_SERVER_VERSION and its dependencies from Maven Central"
    rm -rf "$dir/lib"
    mvn -q -B -f "$HERE/test-server/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$dir/lib" -DincludeScope=runtime >&2
    touch "$dir/lib/.complete"
  fi
  # The SDK gives the server only a few seconds to open its port. A class-data-sharing archive, the client
  # compiler only and the serial GC bring the JVM's start from ~4 s to ~1 s on a loaded 2-core machine.
  local java_opts="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData"
  if [ ! -f "$dir/app.jsa" ]; then
    log "recording a class-data-sharing archive for fast test-server start"
    local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    # shellcheck disable=SC2086
    java $java_opts -XX:ArchiveClassesAtExit="$dir/app.jsa" -cp "$dir/lib/*" io.temporal.testserver.TestServer "$port" \
      >/dev/null 2>&1 &
    local pid=$!
    for _ in $(seq 1 120); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
      sleep 0.25
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    [ -f "$dir/app.jsa" ] || log "  (no archive written; the server still works, it only starts slower)"
  fi
  cat > "$dir/temporal-test-server" <<EOF
#!/usr/bin/env bash
# Written by scripts/provision.sh: the SDK runs this with the port as its first argument.
dir="\$(cd "\$(dirname "\$0")" && pwd)"
cds=""
[ -f "\$dir/app.jsa" ] && cds="-XX:SharedArchiveFile=\$dir/app.jsa -Xshare:auto"
exec java $java_opts \$cds -cp "\$dir/lib/*" io.temporal.testserver.TestServer "\$@"
EOF
  chmod +x "$dir/temporal-test-server"
  record TEMPORAL_TEST_SERVER_PATH "$dir/temporal-test-server"
  log "time-skipping test server ready ($(since "$t0"))"
}

provision_postgres() {
  local t0; t0=$(date +%s)
  local bindir=""
  if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
    bindir="$PG_BINDIR"
  else
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
      log "installing PostgreSQL (Debian postgresql)"
      apt_install postgresql
      bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    fi
  fi
  record PG_BINDIR "$bindir"
  log "PostgreSQL server binaries at $bindir ($(since "$t0"))"
}

provision_chromium() {
  local t0; t0=$(date +%s)
  local bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$bin" ]; then
    log "installing Chromium (Debian chromium) for the browser tests"
    apt_install chromium
    bin=/usr/bin/chromium
  fi
  record CHROMIUM_PATH "$bin"
  log "Chromium at $bin ($(since "$t0"))"
}

# schemathesis in its own virtual environment under the cache (never the system Python's packages), pinned. A venv
# cannot be moved once made, so a marker written last says it is complete; an interrupted install is made again.
provision_schemathesis() {
  local t0; t0=$(date +%s)
  local dir="$CACHE_DIR/schemathesis-$SCHEMATHESIS_VERSION"
  if [ ! -f "$dir/.complete" ]; then
    if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
      log "installing Python 3 with venv (Debian python3-venv)"
      apt_install python3-venv
    fi
    log "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $dir (first time only: ~1 min)"
    rm -rf "$dir"
    python3 -m venv "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION" >&2
    touch "$dir/.complete"
  else
    log "schemathesis from cache: $dir"
  fi
  record SCHEMATHESIS_PATH "$dir/bin/st"
  log "schemathesis $SCHEMATHESIS_VERSION ready ($(since "$t0"))"
}

case "${1:-all}" in
  temporal) provision_temporal ;;
  test-server) provision_test_server ;;
  postgres) provision_postgres ;;
  chromium) provision_chromium ;;
  schemathesis) provision_schemathesis ;;
  all) provision_temporal; provision_test_server; provision_postgres; provision_chromium; provision_schemathesis ;;
  *) echo "usage: $0 [temporal|test-server|postgres|chromium|schemathesis|all]" >&2; exit 2 ;;
esac
