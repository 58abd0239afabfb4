"""``tolmach translate`` and ``tolmach model ...`` end to end on a real database file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from mt_fixtures import tiny_argosmodel  # noqa: F401

from tolmach.cli import main
from tolmach.service.translation import FIRST_BEADS
from tolmach.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(seeded_store: Store) -> str:
    path = seeded_store.url
    seeded_store.close()
    return path


def test_model_install_list_remove(capsys, tiny_argosmodel: Path) -> None:
    code, out, _ = run(capsys, "model", "list")
    assert code == 0 and "No models installed" in out
    code, out, _ = run(capsys, "model", "install", str(tiny_argosmodel))
    assert code == 0 and "Installed translate-ru_en-1_9 (ru→en, version 1.9)" in out
    code, out, _ = run(capsys, "model", "list", "--json")
    assert json.loads(out)["origin"] == "argos:translate-ru_en@1.9"
    code, out, _ = run(capsys, "model", "remove", "translate-ru_en-1_9")
    assert code == 0 and "Removed translate-ru_en-1_9." in out
    code, _, err = run(capsys, "model", "remove", "translate-ru_en-1_9")
    assert code == 1 and err.count("\n") == 1 and "No installed model" in err


def test_bad_package_exits_1_with_one_sentence(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "translate-ru_en-1_9.argosmodel"
    bad.write_bytes(b"PK\x03\x04 broken")
    code, out, err = run(capsys, "model", "install", str(bad))
    assert code == 1 and out == ""
    assert err.startswith("tolmach: error: ") and err.count("\n") == 1 and str(bad) in err


def test_translate_without_model_says_what_to_install(capsys, db: str) -> None:
    code, _, err = run(capsys, "--db", db, "translate", "Document I")
    assert code == 1
    assert "translate-ru_en-1_9.argosmodel" in err and "tolmach model install" in err


def test_translate_then_rerun_then_overwrite(capsys, db: str, tiny_argosmodel: Path) -> None:
    run(capsys, "model", "install", str(tiny_argosmodel))
    code, out, err = run(capsys, "--db", db, "translate", "Document I", "--batch", "7")
    assert code == 0, err
    assert '"Document I": 33 of 33 beads drafted with argos:translate-ru_en@1.9' in out
    assert "Translating" in err  # the progress bar goes to stderr
    code, out, _ = run(capsys, "--db", db, "show", "Document I", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(r["status"] == "machine" and r["target"] for r in rows if r["lang"] == "ru")
    assert all(r["status"] == "empty" for r in rows if r["lang"] != "ru")
    code, out, _ = run(capsys, "--db", db, "translate", "Document I")
    assert code == 0 and "needs no machine drafts" in out and "33 machine drafts kept" in out
    code, out, _ = run(capsys, "--db", db, "translate", "Document I", "--overwrite")
    assert code == 0 and "33 of 33 beads drafted" in out


def test_ctrl_c_exits_130_saying_work_is_saved(capsys, db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("tolmach.service.translation.translate_document", interrupted)
    code, _, err = run(capsys, "--db", db, "translate", "Document I")
    assert code == 130 and "saved" in err


def test_unknown_document(capsys, db: str) -> None:
    code, _, err = run(capsys, "--db", db, "translate", "Document XIV")
    assert code == 1 and "No document named 'Document XIV'" in err


def test_help_does_not_load_model_libraries() -> None:
    probe = (
        "import sys; from tolmach.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'argostranslate', 'torch') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60).stdout
    assert "translate" in out and "model" in out
    assert "HEAVY []" in out


_SLOW_AFTER_FIRST_SAVE = """
import signal, sys, time
from pathlib import Path
from tolmach.service import translation

# Ctrl-C as at a terminal: a test run started in the background by a shell without job
# control (`make test &`, a CI step under nohup) ignores SIGINT, and a child inherits
# that, so the SIGINT below would do nothing (the child slept on and the wait timed out).
signal.signal(signal.SIGINT, signal.default_int_handler)

marker = Path(sys.argv.pop(1))
real = translation._write
calls = []

def write(*args, **kwargs):
    result = real(*args, **kwargs)
    calls.append(1)
    if len(calls) == 1:  # the first draft is committed: wait here for Ctrl-C, however late it comes
        marker.write_text("waiting")
        time.sleep(3600)
    return result

translation._write = write
from tolmach.cli import main
main(sys.argv[1:])
"""

#: The child imports the CLI and the MT libraries and drafts its first beads before the
#: Ctrl-C (4–8 s at load 12 on two cores), and exits within a second of it.  Each wait
#: ends as soon as what it waits for happens; only the ceiling is this long.
SLOW_START_S = 600


def test_real_ctrl_c_keeps_finished_batches_and_rerun_resumes(capsys, db: str, tiny_argosmodel: Path, tmp_path: Path) -> None:
    import signal
    import time

    run(capsys, "model", "install", str(tiny_argosmodel))
    script = tmp_path / "slow_tolmach.py"
    script.write_text(_SLOW_AFTER_FIRST_SAVE, encoding="utf-8")
    marker = tmp_path / "marker"
    out_file, err_file = tmp_path / "stdout", tmp_path / "stderr"
    with out_file.open("w") as out, err_file.open("w") as err:  # files, not pipes: nothing blocks the child's writes
        proc = subprocess.Popen(
            [sys.executable, str(script), str(marker), "--db", db, "translate", "Document I", "--batch", "10"],
            stdout=out, stderr=err, text=True,
        )
    try:
        deadline = time.monotonic() + SLOW_START_S
        while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert marker.exists(), err_file.read_text(encoding="utf-8")
        proc.send_signal(signal.SIGINT)  # a real SIGINT, while the child waits after its first commit
        proc.wait(timeout=SLOW_START_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    errors = err_file.read_text(encoding="utf-8")
    assert proc.returncode == 130, errors
    assert "interrupted; everything finished so far is saved" in errors
    code, out, _ = run(capsys, "--db", db, "show", "Document I", "--json")
    statuses = [json.loads(line)["status"] for line in out.splitlines()]
    assert statuses.count("machine") == FIRST_BEADS  # the first draft, saved before the rest
    code, out, _ = run(capsys, "--db", db, "translate", "Document I")
    assert code == 0 and f'"Document I": {33 - FIRST_BEADS} of {33 - FIRST_BEADS} beads drafted' in out
