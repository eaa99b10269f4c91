#!/usr/bin/env bash
# The steps of the ictgate GitHub Action (action.yml at the repository's root), as one script
# so that they can be run and tested outside GitHub (tests/gate/test_integrations.py):
#
#   action.sh key       the ictgate version, where its virtual environment goes and the cache key
#   action.sh install   build that environment (ci/install.sh), unless the cache restored it
#   action.sh check     run `ictgate check`, write the reports and the job summary; never fails
#                       on the verdict: the exit code goes to the step's outputs, and the
#                       action's last step exits with it
#
# Everything comes in through the environment (never through ${{ }} in a script):
#   ICTGATE_SOURCE      ictgate's source at the action's ref (github.action_path)
#   ICTGATE_VENV        the virtual environment (from `key`)
#   ICTGATE_PYTHON      the Python that builds it (actions/setup-python's python-path)
#   INPUT_*             the action's inputs (see action.yml and docs/ci-integrations.md)
#   GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP: as the runner sets them
set -euo pipefail

fail() {
    echo "::error title=ictgate::$1"
    exit 2
}

is_true() {
    case "${1,,}" in
        true | yes | 1) return 0 ;;
        false | no | 0 | "") return 1 ;;
        *) fail "expected true or false, got '$1'" ;;
    esac
}

output() {
    echo "$1=$2" >>"${GITHUB_OUTPUT:-/dev/null}"
}

INSTALL="$(dirname "${BASH_SOURCE[0]}")/../install.sh"

cmd_key() {
    local version python_version digest
    version="$(bash "$INSTALL" version)"
    [ -n "$version" ] || fail "no __version__ in $ICTGATE_SOURCE/service/ictgate/__init__.py"
    python_version="$("$ICTGATE_PYTHON" -c 'import platform; print(platform.python_version())')"
    digest="$(bash "$INSTALL" digest)"
    output version "$version"
    # A self-hosted runner keeps $HOME: a folder per source, so that a moving ref never reuses
    # an environment built from other policies (ci/install.sh checks that too).
    output venv "$HOME/.cache/ictgate/venv-$version-py$python_version-$digest"
    output key "ictgate-$version-$(uname -s)-$(uname -m)-py$python_version-$digest"
}

cmd_install() {
    local version wanted="${INPUT_VERSION:-}"
    version="$(bash "$INSTALL" version)"
    wanted="${wanted#v}"
    if [ -n "$wanted" ] && [ "$wanted" != "$version" ]; then
        fail "version: $wanted was asked for, but this action's ref is ictgate $version: pin the action itself (uses: ictgate/ictgate@v$wanted)"
    fi
    TMPDIR="${RUNNER_TEMP:-/tmp}" bash "$INSTALL" install || fail "ictgate $version could not be installed: see the log above"
    output version "$version"
}

# The file name each report format is written to in report-dir.
declare -A REPORT_FILES=(
    [text]=ictgate.txt
    [json]=ictgate.json
    [junit]=ictgate-junit.xml
    [sarif]=ictgate.sarif
    [github]=ictgate-github.txt
    [codequality]=ictgate-codequality.json
    [markdown]=ictgate.md
)

cmd_check() {
    local dir="${INPUT_REPORT_DIR:-ictgate-reports}"
    local options=(--format "${INPUT_FORMAT:-github}" --lang "${INPUT_LANG:-both}")
    [ -z "${INPUT_ENGINE:-}" ] || options+=(--engine "$INPUT_ENGINE")
    [ -z "${INPUT_AS_OF:-}" ] || options+=(--as-of "$INPUT_AS_OF")
    if is_true "${INPUT_REVIEW_OK:-false}"; then options+=(--review-ok); fi

    local reports=() name raw="${INPUT_REPORTS:-}"
    read -r -a reports <<<"${raw//,/ }"
    if is_true "${INPUT_UPLOAD_SARIF:-false}" && [[ " ${reports[*]} " != *" sarif "* ]]; then
        reports+=(sarif)
    fi
    local sarif_file=""
    for name in ${reports[@]+"${reports[@]}"}; do
        [ -n "${REPORT_FILES[$name]+known}" ] \
            || fail "reports: unknown format '$name' (text, json, junit, sarif, github, codequality, markdown)"
        options+=(-o "$name=$dir/${REPORT_FILES[$name]}")
        [ "$name" != sarif ] || sarif_file="$dir/${REPORT_FILES[sarif]}"
    done
    local summary=""
    if is_true "${INPUT_SUMMARY:-true}"; then
        summary="$(mktemp "${RUNNER_TEMP:-/tmp}/ictgate-summary.XXXXXX")"
        options+=(-o "markdown=$summary")
    fi

    # Paths are split on spaces and new lines, never expanded by the shell: ictgate reads the globs.
    local paths=()
    set -f
    # shellcheck disable=SC2206  # splitting is the point; globbing is off
    paths=(${INPUT_PATHS:-proposals})
    set +f
    [ "${#paths[@]}" -gt 0 ] || fail "paths: nothing to check"

    mkdir -p "$dir"
    local code=0
    "$ICTGATE_VENV/bin/ictgate" check "${options[@]}" -- "${paths[@]}" || code=$?

    output exit-code "$code"
    output report-dir "$dir"
    output sarif-file "$sarif_file"
    if is_true "${INPUT_UPLOAD_SARIF:-false}" && [ -s "$sarif_file" ]; then
        output upload-sarif true
    else
        output upload-sarif false
    fi
    if [ -n "$summary" ]; then
        if [ -s "$summary" ]; then
            cat "$summary" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
        else
            echo "## ictgate: exit $code (no report: see the log)" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
        fi
        rm -f "$summary"
    fi
    echo "ictgate check: exit $code (0 pass, 1 fail, 2 invalid or no answer, 3 needs review)"
}

case "${1:-}" in
    key) cmd_key ;;
    install) cmd_install ;;
    check) cmd_check ;;
    *)
        echo "usage: $0 key|install|check" >&2
        exit 2
        ;;
esac
