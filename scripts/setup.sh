#!/usr/bin/env bash
# Makes this checkout ready to build and test: Debian packages when missing, npm packages from the
# lockfile when they changed, then the build (type check, then the bundle the bin runs). Safe to run
# again; quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium prints (its headless shell, which starts faster, first); Liberation, Nanum, IPA, AR PL UMing, WenQuanYi and Noto CJK are fonts; poppler, qpdf and a Java with Maven serve the
# tests (the validators come from Maven Central); icc-profiles-free has the sRGB profile of PDF/A;
# fontconfig's fc-match finds the font for a cover's characters that galley's own fonts lack.
debian_packages=(chromium chromium-headless-shell fontconfig fonts-liberation fonts-noto-cjk fonts-nanum fonts-ipafont-mincho fonts-ipafont-gothic fonts-arphic-uming
  fonts-wqy-microhei poppler-utils qpdf icc-profiles-free)
# The benchmark (setup.sh --bench) also times pandoc, the peer it measures books against.
[ "${1:-}" = "--bench" ] && debian_packages+=(pandoc)
command -v java >/dev/null || debian_packages+=(default-jre-headless)
command -v mvn >/dev/null || debian_packages+=(maven)
missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "setup: please install ${missing[*]} (Chromium, fontconfig, fonts, poppler, qpdf, ICC profiles, Java, Maven) with your package manager" >&2
    exit 1
  fi
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]} from Debian's packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages from package-lock.json" >&2
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund >&2
fi

bash scripts/install-validators.sh

npm run --silent build >&2
