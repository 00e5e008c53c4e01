#!/usr/bin/env bash
# Debian packages the web app's tests and PDFs need, installed when missing (CI runs this before npm test):
#   chromium        — the real browser the tests in tests/browser/ drive (playwright-core + executablePath);
#                     Playwright's own browser download is not used (it cannot reach its CDN here).
#   fonts-noto-cjk  — the CJK font embedded in label / certificate PDFs (SIL OFL 1.1), and what Chromium
#                     renders Chinese with in the screenshots.
#   poppler-utils   — pdftotext, with which the report tests read the Chinese text of the PDFs they generate.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  echo "web system packages present (chromium, fonts-noto-cjk, poppler-utils)"
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "!!! cannot install ${need[*]} (not root, no sudo): browser tests will be SKIPPED loudly, label PDFs answer 503" >&2
    exit 0
  fi
fi
echo "installing ${need[*]} (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
