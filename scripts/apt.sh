# Sourced by the scripts that install Debian packages the tests need (chromium.sh, nginx.sh).
# apt_install LABEL PACKAGE...: installs the packages with apt-get, as root or through sudo; without
# apt-get, says what is missing (prefixed with LABEL) and exits 1.
apt_install() {
  local label="$1"
  shift
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$label: $* missing and apt-get is not available; install them and run this again" >&2
    exit 1
  fi
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
