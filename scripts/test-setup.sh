#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, when they are missing (run first by
# `npm test`). As root with apt-get: `apt-get update` and one quiet install, only if
# something is missing. Otherwise it prints what is missing and carries on: the tests
# that need it then report themselves skipped, with the reason.
set -uo pipefail

# chromium: the report's real-browser test; python3-torch/numpy/pytest: the PyTorch
# captures and the Python adapter's tests; jupyter-nbconvert + python3-nbclient: running
# the notebooks under the tslab kernel, python3-ipython: `tslab install` (its installer
# imports IPython). Without recommends: they would pull matplotlib, boost and more.
PACKAGES=(chromium python3-torch python3-numpy python3-pytest jupyter-nbconvert python3-nbclient python3-ipython)

installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = "installed" ]
}

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "test set-up: no dpkg here; tests needing ${PACKAGES[*]} will report skipped unless they are installed some other way"
  exit 0
fi

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then as_root=(sudo -n); else as_root=(); fi
fi
if ! command -v apt-get >/dev/null 2>&1 || { [ "$(id -u)" -ne 0 ] && [ ${#as_root[@]} -eq 0 ]; }; then
  echo "test set-up: missing Debian packages: ${missing[*]} (not root, or no apt-get: install them to run every test; the tests that need them report skipped)"
  exit 0
fi

echo "test set-up: installing ${missing[*]} with apt-get"
if ! { "${as_root[@]}" apt-get update -qq >/dev/null &&
       "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
  echo "test set-up: apt-get could not install ${missing[*]}; the tests that need them report skipped"
fi
exit 0
