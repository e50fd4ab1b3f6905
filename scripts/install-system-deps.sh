#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: Chromium for the end-to-end
# tests, dcmtk and dicom3tools to check DICOM we write (and dcmtk's senders
# and Orthanc with its DICOMweb plugin as the PACS the network tests talk to), sqlite3 to edit a
# store behind the app's back (tamper tests), pydicom as the peer of the
# indexing benchmark, R's psych with scikit-learn and statsmodels as the
# independent implementations the agreement statistics are checked against,
# and SciPy as the independent resampler the subtraction is checked against.
# Installs only what is missing.
set -euo pipefail
needed=()
command -v chromium >/dev/null || needed+=(chromium)
command -v dcmdump >/dev/null || needed+=(dcmtk)
command -v dciodvfy >/dev/null || needed+=(dicom3tools)
command -v Orthanc >/dev/null || needed+=(orthanc)
[ -e /usr/share/orthanc/plugins/libOrthancDicomWeb.so ] || needed+=(orthanc-dicomweb)
command -v sqlite3 >/dev/null || needed+=(sqlite3)
/usr/bin/python3 -c 'import pydicom' 2>/dev/null || needed+=(python3-pydicom)
/usr/bin/python3 -c 'import sklearn' 2>/dev/null || needed+=(python3-sklearn)
/usr/bin/python3 -c 'import statsmodels' 2>/dev/null || needed+=(python3-statsmodels)
/usr/bin/python3 -c 'import scipy.ndimage' 2>/dev/null || needed+=(python3-scipy)
[ -x /usr/bin/Rscript ] || needed+=(r-base-core)
/usr/bin/Rscript -e 'library(psych)' >/dev/null 2>&1 || needed+=(r-cran-psych)
if [ ${#needed[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${needed[@]}"
fi
