#!/usr/bin/env bash
# First command of the quick start: installs what a fresh machine lacks, then renders
# every handout into output/. Safe to run again.
#   - a browser to print with: Debian's chromium when no Chrome/Chromium is found
#     (the tool drives it with puppeteer-core, which downloads no browser of its own)
#   - poppler-utils, qpdf and Debian's python3-pdfminer, the independent PDF readers the tests use
#   - npm packages, exactly as locked in package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."

have_browser() {
  for b in "${HANDOUT_CHROME:-}" "${PUPPETEER_EXECUTABLE_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser \
    /usr/bin/google-chrome /usr/bin/google-chrome-stable "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"; do
    [ -n "$b" ] && [ -x "$b" ] && return 0
  done
  return 1
}

packages=()
have_browser || packages+=(chromium)
command -v pdftotext >/dev/null || packages+=(poppler-utils)
command -v qpdf >/dev/null || packages+=(qpdf)
# The tests measure type sizes with pdfminer, imported by Debian's own Python (a python3 from
# pyenv or a venv earlier on PATH does not see Debian's packages).
/usr/bin/python3 -c 'import pdfminer' >/dev/null 2>&1 || packages+=(python3-pdfminer)

if [ ${#packages[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "setup: installing ${packages[*]} with apt-get"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  else
    echo "setup: please install: ${packages[*]} (a Chrome or Chromium browser; poppler, qpdf and pdfminer for the tests)" >&2
    have_browser || exit 1
  fi
fi

npm ci --no-audit --no-fund
# Compiled here, not by an npm `prepare` script: prepare would also run in every clinic's
# install of the package, which has no compiler (the package ships compiled; `prepack`
# compiles it before packing).
npm run compile
npm run render
