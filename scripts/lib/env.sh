# Sourced by the scripts: makes `yarn` work on a machine that only has Node, npm and corepack.
# Yarn itself and every package come from the registry npm is configured with (never hard-coded).
registry=$(npm config get registry 2>/dev/null | sed -e 's#/*$##')
if [ -n "$registry" ]; then
  export COREPACK_NPM_REGISTRY="$registry"
  export YARN_NPM_REGISTRY_SERVER="$registry"
fi
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# better-sqlite3 compiles from source when no prebuilt binary can be fetched; Node's headers
# ship with the distribution's Node package.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi
yarn() { corepack yarn "$@"; }
