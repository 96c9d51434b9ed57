#!/usr/bin/env bash
# Makes sure everything mktopo needs to build and test is present, installing only what is
# missing. Safe to run again: with everything in place it only checks (well under a second).
#
#   Debian packages  libyaml-dev (the YAML parser), git, openssh-server (end-to-end tests
#                    run the simulator behind a real sshd started by the test itself)
#   Python modules   jsonschema and yaml, for the python3 on PATH (schema tests), and if
#                    pip can, kubernetes-validate (the Kubernetes example's schema test)
#   swift            the Swift toolchain on PATH
set -euo pipefail

readonly DEB_PACKAGES=(libyaml-dev git openssh-server)
readonly SWIFT_FALLBACK_DIR=/opt/swift/usr/bin

say() { printf 'setup: %s\n' "$*"; }
die() {
  printf 'setup: error: %s\n' "$*" >&2
  exit 1
}

# How to run apt-get as root: directly, through sudo, or not at all. Without a terminal
# (CI, no stdin) sudo must not wait for a password, so it is asked to fail instead.
SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    if [[ -t 0 ]]; then SUDO=(sudo); else SUDO=(sudo -n); fi
  else
    SUDO=(__no_root__)
  fi
fi

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found; install these by hand: $*"
  [[ ${SUDO[0]:-} != __no_root__ ]] ||
    die "not root and no sudo; as root run: apt-get install -y $*"
  say "installing $*"
  if [[ $apt_updated == false ]]; then
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=true
  fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "$@"
}

deb_installed() {
  dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

# 1. Debian packages.
command -v dpkg >/dev/null 2>&1 ||
  die "dpkg not found: this script knows Debian and Ubuntu; install ${DEB_PACKAGES[*]} by hand"
missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  if deb_installed "$pkg"; then say "$pkg ok"; else missing+=("$pkg"); fi
done
if ((${#missing[@]} > 0)); then
  apt_install "${missing[@]}"
  for pkg in "${missing[@]}"; do
    deb_installed "$pkg" || die "$pkg is still not installed"
    say "$pkg installed"
  done
fi

# 2. Python modules for the python3 on PATH.
python_ok() { python3 -c 'import jsonschema, yaml' >/dev/null 2>&1; }
if ! command -v python3 >/dev/null 2>&1; then
  apt_install python3 python3-jsonschema python3-yaml
fi
if python_ok; then
  say "python3 jsonschema, yaml ok"
else
  if ! python3 -m pip --version >/dev/null 2>&1; then
    say "no pip for python3; falling back to apt"
    apt_install python3-jsonschema python3-yaml
  elif ! pip_out=$(PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet \
    --disable-pip-version-check jsonschema pyyaml 2>&1); then
    # Typically PEP 668 ("externally-managed-environment") on a distribution's python3.
    say "pip install failed ($(grep -m1 -i 'error' <<<"$pip_out" || echo "see pip"));" \
      "falling back to apt"
    apt_install python3-jsonschema python3-yaml
  fi
  python_ok ||
    die "python3 ($(command -v python3)) still cannot import jsonschema and yaml;" \
      "install them for that interpreter (python3 -m pip install jsonschema pyyaml)"
  say "python3 jsonschema, yaml installed"
fi

# 2b. Optional: kubernetes-validate checks the Kubernetes example against Kubernetes'
# own schemas, offline. Without it that one test is skipped, so a failure here is not fatal.
if python3 -c 'import kubernetes_validate' >/dev/null 2>&1; then
  say "python3 kubernetes-validate ok"
elif PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
  kubernetes-validate >/dev/null 2>&1; then
  say "python3 kubernetes-validate installed"
else
  say "python3 kubernetes-validate not installed (optional: its manifest test is skipped)"
fi

# 3. The Swift toolchain.
if command -v swift >/dev/null 2>&1; then
  say "swift ok ($(command -v swift))"
elif [[ -x $SWIFT_FALLBACK_DIR/swift ]]; then
  # make and .ci/run add this directory themselves; an interactive shell needs it too.
  say "swift found in $SWIFT_FALLBACK_DIR but not on PATH; add it to your shell profile:"
  say "  export PATH=$SWIFT_FALLBACK_DIR:\$PATH"
else
  die "swift not found (not on PATH, not in $SWIFT_FALLBACK_DIR); install a Swift 6.2 or" \
    "newer toolchain from https://www.swift.org/install/ and put its usr/bin on PATH"
fi
