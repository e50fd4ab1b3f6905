#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: Chromium for the end-to-end
# tests, dcmtk and dicom3tools to check DICOM we write, sqlite3 to edit a
# store behind the app's back (tamper tests), pydicom as the peer of the
# indexing benchmark. Installs only what is missing.
set -euo pipefail
needed=()
command -v chromium >/dev/null || needed+=(chromium)
command -v dcmdump >/dev/null || needed+=(dcmtk)
command -v dciodvfy >/dev/null || needed+=(dicom3tools)
command -v sqlite3 >/dev/null || needed+=(sqlite3)
/usr/bin/python3 -c 'import pydicom' 2>/dev/null || needed+=(python3-pydicom)
if [ ${#needed[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
