# Sourced by run-tests and .ci/run: makes sure Chromium and ChromeDriver (for the browser test) are installed.
# As root with apt-get it installs Debian's chromium and chromium-driver; otherwise it says what to install.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "convolve: installing chromium and chromium-driver for the browser test..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver) >&2 \
      || echo "convolve: could not install chromium; the browser test will fail (install chromium and chromium-driver)" >&2
  else
    echo "convolve: the browser test needs Debian's chromium and chromium-driver: sudo apt-get install chromium chromium-driver" >&2
  fi
fi
