#!/usr/bin/env bash
# oxwire set-up for a fresh Debian 12 machine (as root, or a user with sudo). Idempotent.
#
#   ./setup.sh run    install what is missing, build (Release), run the reference server
#   ./setup.sh test   install what is missing, build, run every test (what .ci/run calls)
#
# Environment: JOBS (parallel build jobs, default: all cores), OXWIRE_FUZZ_SECONDS (default 5),
# OXWIRE_SHARED_DIR (spec sources and corpus, default ../shared).
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages, and why each is here (README "Dependencies" says more).
packages=(
  cmake g++ make git pkg-config python3     # build, codegen, spec import, scripts
  clang libclang-rt-14-dev clang-format     # clang 14 build, ASan/UBSan, libFuzzer, style check
  libboost1.81-dev                          # Boost.System result, Hana, Spirit X3
  libasio-dev                               # standalone Asio (server)
  libsimdjson-dev                           # codegen reads specs/ with it
  libgtest-dev libbenchmark-dev             # tests and benchmarks
  libssl-dev                                # TLS; OpenSSL base64 is a benchmark yardstick
  libwbxml2-utils libwbxml2-dev             # WBXML differential tests (oracle), benchmark yardstick
  liblz4-dev                                # LZ77/DIRECT2 benchmark yardstick (bench_rpc)
  php-cli php-mbstring php-horde-activesync # second WBXML oracle: Horde's ActiveSync decoder
  libdeflate-dev                            # CRC-32 of compressed RTF, OAB, .msg name hashes
  libsqlite3-dev                            # the reference server's store
  libgmime-3.0-dev                          # MIME of SendMail/SmartReply/SmartForward (server/mime.hpp)
  libxml2-dev                               # plain text from HTML bodies (server/mime_writer.hpp)
  libical-dev                               # iCalendar invitations in mail (server/icalendar.hpp)
  ytnef-tools libytnef0-dev tnef            # TNEF and RTF oracles and benchmark yardstick
  libolecf-utils libolecf-dev               # Compound File (.msg container) oracle and yardstick
  libmspack-dev                             # OAB LZX decompression (MS-OXOAB compressed files: oxwire oab, tests/oab)
  nodejs                                    # runs the npm oracles (msgreader, decompressrtf)
)

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  # Debian's nodejs comes without npm (NodeSource's includes it).
  command -v npm >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm
  # The npm oracles, pinned by tests/oracles/package-lock.json.
  [ -d tests/oracles/node_modules ] || npm ci --prefix tests/oracles --no-audit --no-fund >/dev/null
}

jobs=${JOBS:-$(nproc)}
shared=${OXWIRE_SHARED_DIR:-$(cd .. && pwd)/shared}

# build DIR [cmake options...]
build() {
  local dir=$1; shift
  cmake -S . -B "$dir" -DOXWIRE_SHARED_DIR="$shared" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
  run)
    # The reference server on its embedded store (SQLite in $OXWIRE_DATA, created on first start,
    # with a demo user and mailbox), in the foreground until Ctrl-C.
    install_missing
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DOXWIRE_SHARED_DIR="$shared" >/dev/null
    cmake --build build -j "$jobs" --target oxwire_server oxwire_cli
    data=${OXWIRE_DATA:-$PWD/oxwire-data}
    cat <<EOF
== oxwire-server ==
ActiveSync (12.1-16.1):  https://<this host>:8443/Microsoft-Server-ActiveSync  (self-signed certificate)
                         http://127.0.0.1:8080/Microsoft-Server-ActiveSync     (loopback only)
Autodiscover:            https://<this host>:8443/autodiscover/autodiscover.xml
User: demo  Password: demo  (a demo mailbox: mail with attachments, contacts, calendar, tasks, notes)
Try:  curl -u demo:demo -X OPTIONS -i http://127.0.0.1:8080/Microsoft-Server-ActiveSync
Store: $data
EOF
    exec ./build/oxwire-server --http 127.0.0.1:8080 --https 0.0.0.0:8443 --data "$data" --demo demo:demo
    ;;
  test)
    install_missing
    results=$PWD/build/test-results
    rm -rf "$results"
    # g++ 12, Release at -O1 (optimised code under test; -O2 costs a fifth more compile time),
    # warnings are errors: unit tests, drift, consumer, style. The benchmarks and examples are
    # built to be checked, not timed: at -O0 (OXWIRE_CHECK_ONLY_FLAGS).
    build build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" \
      -DOXWIRE_WERROR=ON -DOXWIRE_BENCHMARKS=ON -DOXWIRE_CHECK_ONLY_FLAGS=-O0
    ctest --test-dir build -j "$jobs" --output-on-failure
    python3 tests/trace_requirements.py --specs specs --results "$results"
    # clang 14 with ASan+UBSan, warnings are errors: the unit tests again, and every fuzz target.
    # -O0 with line tables only: what sanitizer reports need, at half the compile time of -O1.
    # Only the unit tests and fuzz targets (oxwire_checks): examples, drift, style, the consumer
    # build and the compile-fail checks ran above.
    cmake -S . -B build-asan -DOXWIRE_SHARED_DIR="$shared" -DCMAKE_BUILD_TYPE=Sanitize \
      -DCMAKE_CXX_FLAGS_SANITIZE="-O0 -gline-tables-only" -DCMAKE_CXX_COMPILER=clang++ \
      -DOXWIRE_WERROR=ON -DOXWIRE_SANITIZE=ON -DOXWIRE_FUZZ=ON -DOXWIRE_BENCHMARKS=OFF \
      -DOXWIRE_FUZZ_SECONDS="${OXWIRE_FUZZ_SECONDS:-5}" >/dev/null
    cmake --build build-asan -j "$jobs" --target oxwire_checks
    ctest --test-dir build-asan -j "$jobs" --output-on-failure \
      -E '^(examples|install|style|codegen|specs|requirements|compile_fail)\.'

    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
