#!/usr/bin/env bash
# Create .venv and install Tolmach into it, from this checkout's own files only.
#
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh test     runtime + test dependencies (and tmux for the TUI smoke test)
#
# argostranslate needs stanza, which needs torch. A plain `pip install torch` on Linux fetches
# several GB of CUDA packages, so a CPU build is installed first:
#   - TOLMACH_TORCH (default "torch==2.13.0": on the project's machines pip finds a local CPU wheel);
#   - elsewhere, set TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu (and e.g. TOLMACH_TORCH=torch)
#     to take PyTorch's CPU wheels, or install any torch you like into .venv before running this.
set -euo pipefail
cd "$(dirname "$0")/.."

extra="${1:-}"
python="${PYTHON:-python3}"
venv=".venv"

if [ ! -x "$venv/bin/python" ]; then
    echo "setup: creating $venv with $($python --version)"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
fi
pip=("$venv/bin/pip" install --quiet --disable-pip-version-check)

if ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
    echo "setup: installing a CPU build of PyTorch (${TOLMACH_TORCH:-torch==2.13.0})"
    "${pip[@]}" "${TOLMACH_TORCH:-torch==2.13.0}" ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
fi

target="."
[ "$extra" = "test" ] && target=".[test]"
stamp="$venv/.tolmach-installed-${extra:-runtime}"
digest="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "setup: installing Tolmach and its dependencies into $venv"
    "${pip[@]}" -e "$target"
    echo "$digest" > "$stamp"
fi

if [ "$extra" = "test" ] && ! command -v tmux >/dev/null 2>&1; then
    echo "setup: installing tmux for the terminal smoke test"
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && apt-get install -y -qq tmux) >/dev/null || echo "setup: could not install tmux; the tmux smoke test will say so"
    else
        echo "setup: tmux not found; install it (e.g. apt-get install tmux) for the terminal smoke test"
    fi
fi
