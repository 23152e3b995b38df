#!/usr/bin/env bash
# Install the Debian packages jixiao needs, only those missing. Safe to run again.
set -euo pipefail
packages=(
  libreoffice-writer-nogui   # .docx -> .pdf
  libreoffice-calc-nogui     # .xlsx -> .xls for the audit reader's tests
  poppler-utils              # pdftoppm / pdftotext / pdffonts (tests, PDF checks)
  fonts-noto-cjk             # 宋体/黑体/仿宋 substitutes (see jixiao/io/fonts.conf)
  fonts-arphic-gkai00mp      # 楷体
  fonts-arphic-gbsn00lp      # TrueType 宋体 fallback
  fonts-wqy-zenhei           # TrueType 黑体 fallback
  postgresql                 # throwaway test cluster for `make test` (scripts/pg-test-server.sh)
  chromium                   # browser tests of the web pages
  tesseract-ocr              # OCR of scanned PDFs in `jixiao audit`
  tesseract-ocr-chi-sim      # its simplified-Chinese model
)
missing=()
for p in "${packages[@]%%#*}"; do
  p=${p// /}
  [ -n "$p" ] || continue
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "安装系统依赖：${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
