#!/usr/bin/env bash
# Install what the app and tests need from the system: Debian chromium (kaleido
# exports and browser tests), a CJK font (Chinese in exports and screenshots),
# poppler-utils (tests read PDFs back), postgresql (the saved-views concurrency
# test starts a throw-away cluster). Does nothing when all are present.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Debian keeps initdb/pg_ctl off PATH, under /usr/lib/postgresql/<version>/bin
ls "${POSTGRES_LIB:-/usr/lib/postgresql}"/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing system packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
  echo "Cannot install ${need[*]}: run as root: apt-get install -y ${need[*]}" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
fc-cache -f >/dev/null 2>&1 || true
