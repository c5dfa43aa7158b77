#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine that has only python3 and pip:
# the system packages below (with apt-get, when run as root or with sudo), nox and uv.
# Everything else is installed by the nox sessions themselves, into their own virtualenvs.
set -euo pipefail

# graphviz: the `dot` program that renders draw_graph() pictures.
# bubblewrap: the `bwrap` sandbox neurogebra-grader runs every student notebook in (no network,
#   only the submission's folder writable); without it autograde refuses to run.
# chromium: the headless browser the course site's test opens pages in (nox -s docs).
# npm (with nodejs): installs KaTeX from package.json (`npm ci`), which the site and the
#   feedback pages carry so that math renders without the web (nox -s docs, nox -s demo), and
#   configurable-http-proxy, JupyterHub's proxy in the service's Hub test (nox -s tests-service).
# postgresql: the server (initdb, pg_ctl, postgres, kept in /usr/lib/postgresql/<version>/bin)
#   the submission service's tests run on, besides SQLite (nox -s tests-service), and the
#   instructor guide's test runs the service's PostgreSQL practice run on (nox -s docs). Each test
#   session makes its own throwaway cluster on 127.0.0.1; the cluster the package sets up is
#   not used. PostgreSQL refuses to run as root, so as root the tests run it as the `postgres`
#   user this package creates.
SYSTEM_PACKAGES=(graphviz bubblewrap chromium npm postgresql)

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v initdb >/dev/null 2>&1 ||
  need+=(postgresql)

if ((${#need[@]})); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log=$(mktemp)
    if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
      cat "$log" >&2
      echo "tools/setup.sh: apt-get could not install: ${need[*]}" >&2
      exit 1
    fi
    echo "tools/setup.sh: installed ${need[*]}"
  else
    echo "tools/setup.sh: please install these system packages yourself: ${need[*]}" >&2
  fi
fi

# nox runs every job; uv makes its virtualenvs (much faster than pip; nox falls back to pip).
python3 -m pip install --quiet --disable-pip-version-check "nox>=2024.3.2" "uv>=0.5"
echo "tools/setup.sh: ready (system packages: ${SYSTEM_PACKAGES[*]}; nox $(python3 -m nox --version 2>&1); $(python3 -m uv --version))"
