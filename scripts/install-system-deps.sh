#!/usr/bin/env bash
# Installs the Debian packages the test suite needs, only those that are missing:
#   golang-go + golang-github-vmware-govmomi-dev  VMware's vCenter simulator (integration tests)
#   chromium + chromium-driver                    headless browser tests of the HTML report
set -euo pipefail

packages=(golang-go golang-github-vmware-govmomi-dev chromium chromium-driver)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
