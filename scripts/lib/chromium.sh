# Sourced by scripts/test: makes sure Debian's Chromium is there for the browser checks.
# Browser downloads by test tools are not possible here, so the distribution's package is used.
ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium from the distribution's packages..."
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
      >/tmp/jit-access-chromium-install.log 2>&1
    [ -x "$path" ] && return 0
    tail -5 /tmp/jit-access-chromium-install.log >&2
  fi
  echo "No Chromium at $path (install Debian's chromium package, or set CHROMIUM_PATH)" >&2
  return 1
}
