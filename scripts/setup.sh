#!/usr/bin/env bash
# Create .venv and install Tolmach into it, from this checkout's own files only.
#
#   scripts/setup.sh          runtime dependencies
#   scripts/setup.sh test     runtime + test dependencies (and tmux for the TUI smoke test)
#   scripts/setup.sh bench    the same, and the Debian packages the benchmarks use (scripts/bench-packages.txt)
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
[ "$extra" = "test" ] || [ "$extra" = "bench" ] && target=".[test]"
stamp="$venv/.tolmach-installed-${extra:-runtime}"
digest="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "setup: installing Tolmach and its dependencies into $venv"
    "${pip[@]}" -e "$target"
    echo "$digest" > "$stamp"
fi

# Real tools the tests drive (each test skips, naming its package, where one is missing):
#   tmux (the workbench in a real terminal), omegat (OmegaT console mode), libxml2-utils
#   (xmllint), postgresql (a throw-away server for the team-database tests), chromium
#   (the HTML edition rendered headless), dict-freedict-eng-rus (the aligner's default dictionary
#   for ru–en). The runtime set-up (`make run`) installs no Debian packages, so not this one either.
if [ "$extra" = "test" ] || [ "$extra" = "bench" ]; then
    lists=(scripts/test-packages.txt)
    [ "$extra" = "bench" ] && lists+=(scripts/bench-packages.txt)
    need=()
    for pkg in $(grep -hv '^#' "${lists[@]}"); do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
    done
    if [ ${#need[@]} -gt 0 ]; then
        if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
            echo "setup: installing Debian packages for the ${extra}s: ${need[*]}"
            (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >/dev/null \
                || echo "setup: could not install ${need[*]}; the tests that need them will say so"
        else
            echo "setup: missing Debian packages ${need[*]}; install them for the tests that use them"
        fi
    fi
fi

# The compiled DP (numba: the `fast` and `test` extras): compile its kernels into numba's cache
# (__pycache__ beside src/tolmach/align/dp_jit.py, or $NUMBA_CACHE_DIR) now, ~15 s once per
# change of dp_jit.py (its time and size, as numba keys its cache) or of numba, rather than
# in the first alignment.
if "$venv/bin/python" -c "import numba" 2>/dev/null; then
    warm="$venv/.tolmach-numba-warm"
    key="$(stat -c "%Y %s" src/tolmach/align/dp_jit.py) $("$venv/bin/python" -c "import numba; print(numba.__version__)")"
    if [ ! -f "$warm" ] || [ "$(cat "$warm")" != "$key" ]; then
        echo "setup: compiling the aligner's DP with numba (once)"
        if env -u TOLMACH_DP "$venv/bin/python" -c "from tolmach.align.dp_jit import warm; warm()"; then
            echo "$key" > "$warm"
        else
            echo "setup: numba could not compile the DP; the aligner will use its numpy code"
        fi
    fi
fi
