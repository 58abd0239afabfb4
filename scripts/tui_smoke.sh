#!/usr/bin/env bash
# Run the real `tolmach` console script in tmux on a fresh database, type a translation,
# move on, quit, and check both the captured screen and the database.
#
#   scripts/tui_smoke.sh            (uses .venv/bin/tolmach; TOLMACH=... to use another)
#
# Exit status 0 when everything checks out; the captured screen is printed either way.
set -euo pipefail
cd "$(dirname "$0")/.."

tolmach="${TOLMACH:-$PWD/.venv/bin/tolmach}"
python="${PYTHON:-$PWD/.venv/bin/python}"
command -v tmux >/dev/null || { echo "tui_smoke: tmux is not installed" >&2; exit 2; }
[ -x "$tolmach" ] || { echo "tui_smoke: $tolmach not found; run scripts/setup.sh first" >&2; exit 2; }

work="$(mktemp -d)"
socket="tolmach-smoke-$$"
session="smoke"
t() { tmux -L "$socket" "$@"; }
cleanup() { t kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "tui_smoke: FAILED: $*" >&2; echo "----- screen -----" >&2; cat "$work/screen.txt" >&2 2>/dev/null || true; exit 1; }

wait_for() {  # wait_for TEXT SECONDS: poll the pane until TEXT appears
    local deadline=$((SECONDS + $2))
    while [ $SECONDS -lt $deadline ]; do
        t capture-pane -p -t "$session" > "$work/screen.txt" 2>/dev/null || true
        grep -qF -- "$1" "$work/screen.txt" && return 0
        sleep 0.3
    done
    fail "\"$1\" did not appear within $2 s"
}

db="$work/smoke.db"
sentence='Our ambassador reported [bold]this[/] on 21 August.'
t new-session -d -s "$session" -x 120 -y 40 \
    "TOLMACH_DATA_DIR='$work/data' '$tolmach' --db '$db'; echo TOLMACH-EXITED; sleep 60"
wait_for "0/34 sentences translated" 90
t send-keys -t "$session" Down Down
sleep 0.5
t send-keys -t "$session" Enter
sleep 0.5
t send-keys -t "$session" -l "$sentence"
sleep 0.5
t send-keys -t "$session" M-Down
wait_for "1/34 sentences translated" 10
wait_for "[bold]this[/]" 5
cp "$work/screen.txt" "$work/after-edit.txt"
t send-keys -t "$session" C-q
wait_for "TOLMACH-EXITED" 15

"$python" - "$db" "$sentence" <<'PY' || fail "the database does not hold the typed translation"
import sqlite3, sys
db, sentence = sys.argv[1], sys.argv[2]
rows = sqlite3.connect(db).execute(
    # the bead's number (1-based rank by position; positions have gaps)
    "select (select count(*) from beads o where o.document_id = b.document_id and o.position <= b.position), "
    "b.status, b.target from beads b join documents d on d.id = b.document_id "
    "where d.name = 'Document I' and b.target != ''"
).fetchall()
assert rows == [(3, "edited", sentence)], rows
PY

cat "$work/after-edit.txt"
echo "tui_smoke: OK (typed text saved as bead 3 of Document I, shown literally)"
