#!/usr/bin/env bash
# Install ictgate from a source tree into a virtual environment, as `make .venv/.runtime` and
# tools/wheel_check.py do: the pinned, hash-checked dependencies of requirements/runtime.lock,
# the embedded OPA engine of requirements/opa-engine.lock, then ictgate's own wheel (which
# bundles policies/ and schemas/). Used by the GitHub Action (action.yml, ci/github/action.sh)
# and the GitLab template (ci/gitlab/ictgate.gitlab-ci.yml).
#
#   ICTGATE_SOURCE   the source tree (an ictgate checkout or release archive)        required
#   ICTGATE_VENV     the virtual environment to build                                required
#   ICTGATE_PYTHON   the Python to build it with                                     default python3
#   ICTGATE_EXPECT   the version expected (0.2.0 or v0.2.0): another one is exit 2;  default: any
#                    a ref that is not a version (a branch name) is not compared
#
# An environment built from the same source (same locks, code and policies: a digest kept in
# the environment) is reused as it is, so a CI cache that restores it makes this a no-op.
#
#   install.sh           install, print `ictgate --version`
#   install.sh digest    print the digest of the source (for cache keys)
#   install.sh version   print the source's version
set -euo pipefail

: "${ICTGATE_SOURCE:?the ictgate source tree}"
STAMP=.ictgate-source

fail() {
    echo "ictgate install: $1" >&2
    exit 2
}

source_version() {
    sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ICTGATE_SOURCE/service/ictgate/__init__.py"
}

# The files that decide what gets installed: the locks, the build, the code, the policies.
source_digest() {
    (
        cd "$ICTGATE_SOURCE"
        find requirements pyproject.toml setup.py service policies schemas -type f \
            ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    ) | sha256sum | cut -c1-16
}

install() {
    : "${ICTGATE_VENV:?where to build the virtual environment}"
    local python="${ICTGATE_PYTHON:-python3}" version wanted digest
    version="$(source_version)"
    [ -n "$version" ] || fail "no __version__ in $ICTGATE_SOURCE/service/ictgate/__init__.py"
    wanted="${ICTGATE_EXPECT:-}"
    wanted="${wanted#v}"
    if [[ "$wanted" =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] && [ "$wanted" != "$version" ]; then
        fail "version $wanted was asked for, but the source is ictgate $version"
    fi
    digest="$(source_digest)"
    if [ "$(cat "$ICTGATE_VENV/$STAMP" 2>/dev/null)" = "$digest" ] \
        && "$ICTGATE_VENV/bin/ictgate" --version >/dev/null 2>&1; then
        echo "ictgate $version: reusing $ICTGATE_VENV (same source)"
        "$ICTGATE_VENV/bin/ictgate" --version
        return
    fi
    rm -rf "$ICTGATE_VENV"
    "$python" -m venv "$ICTGATE_VENV"
    local pip=("$ICTGATE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
    "${pip[@]}" --require-hashes -r "$ICTGATE_SOURCE/requirements/runtime.lock"
    # Its wheel asks for Python >= 3.14 but works on 3.11 (requirements/opa-engine.lock says why).
    "${pip[@]}" --require-hashes --no-deps --ignore-requires-python -r "$ICTGATE_SOURCE/requirements/opa-engine.lock"
    # Built from a copy, so that nothing is written into the source tree (the workspace itself
    # when the action is used as `uses: ./`).
    local work
    work="$(mktemp -d "${TMPDIR:-/tmp}/ictgate-build.XXXXXX")"
    mkdir "$work/src"
    (cd "$ICTGATE_SOURCE" && cp -R pyproject.toml setup.py README.md LICENSE service policies schemas "$work/src/")
    "$ICTGATE_VENV/bin/python" -m pip wheel --quiet --disable-pip-version-check --no-deps \
        --no-build-isolation -w "$work/dist" "$work/src"
    "${pip[@]}" --no-deps "$work"/dist/ictgate-*.whl
    rm -rf "$work"
    echo "$digest" >"$ICTGATE_VENV/$STAMP"
    "$ICTGATE_VENV/bin/ictgate" --version
}

case "${1:-install}" in
    install) install ;;
    digest) source_digest ;;
    version) source_version ;;
    *)
        echo "usage: $0 [install|digest|version]" >&2
        exit 2
        ;;
esac
