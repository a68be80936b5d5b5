#!/bin/sh
# Runs Google's own client libraries against gmail-sandbox (run.py beside this file).
# The virtualenv under .build is made once, and made anew only when requirements.txt
# or the Python it was made with changes. pip says nothing unless it fails.
# Usage: Tests/Conformance/run.sh [PATH/TO/gmail-sandbox]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv="${CONFORMANCE_VENV:-$root/.build/conformance-venv}"
sandbox="${1:-$root/.build/debug/gmail-sandbox}"
python="${PYTHON:-python3}"

command -v "$python" >/dev/null 2>&1 || { echo "conformance: $python not found (Debian: apt-get install python3-venv)" >&2; exit 1; }
stamp=$( { cat "$here/requirements.txt"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$venv/.requirements-stamp" 2>/dev/null || true)" != "$stamp" ]; then
    rm -rf "$venv"
    log=$(mktemp)
    if ! { "$python" -m venv "$venv" &&
           PIP_ROOT_USER_ACTION=ignore "$venv/bin/python" -m pip install --quiet --no-input \
               --disable-pip-version-check --require-virtualenv -r "$here/requirements.txt"; } >"$log" 2>&1; then
        echo "conformance: could not install Google's client libraries into $venv:" >&2
        cat "$log" >&2
        rm -f "$log"
        rm -rf "$venv"
        exit 1
    fi
    rm -f "$log"
    echo "$stamp" >"$venv/.requirements-stamp"
fi
PYTHONDONTWRITEBYTECODE=1 exec "$venv/bin/python" "$here/run.py" "$sandbox"
