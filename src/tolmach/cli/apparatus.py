"""``tolmach apparatus ...``: the historian's apparatus (docs/edition.md).

Source errors and readings, [sic] notes, names and romanisation, dates, archival
citations, project settings, and importing a TEI edition.  ``tolmach export --format
tei`` writes the edition; ``tolmach qa`` reports the apparatus checks.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from tolmach.cli.base import AppContext, cli, pass_app
from tolmach.errors import InputError


def _echo_json(obj: dict[str, object]) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


def _bead_id(app: AppContext, doc: str, number: int) -> int:
    from tolmach.service import documents as doc_service
    from tolmach.service.beads import load_beads

    with app.store.read() as s:
        doc_id = doc_service.find_document(s, doc).id
    for b in load_beads(app.store, doc_id):
        if b.number == number:
            return b.id
    raise InputError(f"{doc!r} has no bead {number}.")


@cli.group("apparatus")
def apparatus_group() -> None:
    """The historian's apparatus: source errors and readings, [sic] notes, names,
    dates and archival citations (see docs/edition.md)."""


@apparatus_group.command("errors")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per probable error.")
@pass_app
def errors_cmd(app: AppContext, doc: str, as_json: bool) -> None:
    """List probable misprints of DOC's Russian source with their readings
    (✓ = reading confirmed).  The source itself is never changed."""
    from tolmach.service.apparatus import find_source_errors

    found = find_source_errors(app.store, doc)
    for f in found:
        if as_json:
            _echo_json({"bead": f.bead_number, "segment": f.position + 1, "start": f.start, "end": f.end,
                        "word": f.word, "reading": f.reading, "reason": f.reason, "confirmed": f.confirmed})
        else:
            click.echo(f"bead {f.bead_number:>4}  {'✓' if f.confirmed else ' '} {f.word} → {f.reading}  ({f.reason})")
    if not as_json:
        done = sum(f.confirmed for f in found)
        click.echo(f"{len(found)} probable misprint(s), {done} confirmed.")


@apparatus_group.command("confirm")
@click.argument("doc")
@click.argument("words", nargs=-1)
@pass_app
def confirm_cmd(app: AppContext, doc: str, words: tuple[str, ...]) -> None:
    """Confirm the proposed readings of DOC's misprints (all, or only WORDS as printed).
    Machine translation, glossary matching and QA then read the corrected words."""
    from tolmach.service.apparatus import confirm_errors

    done = confirm_errors(app.store, doc, list(words) or None)
    for f in done:
        click.echo(f"bead {f.bead_number:>4}  {f.word} → {f.reading}")
    click.echo(f"{len(done)} reading(s) confirmed.")


@apparatus_group.command("read")
@click.argument("doc")
@click.argument("bead", type=int)
@click.argument("word")
@click.argument("reading")
@pass_app
def read_cmd(app: AppContext, doc: str, bead: int, word: str, reading: str) -> None:
    """Record that WORD (as printed, first occurrence in bead BEAD) reads READING."""
    from tolmach.service.apparatus import add_reading
    from tolmach.service.beads import get_bead

    view = get_bead(app.store, _bead_id(app, doc, bead))
    for k, text in enumerate(view.sources):
        at = text.find(word)
        if at >= 0:
            add_reading(app.store, doc, view.src_start + k, at, at + len(word), reading)
            click.echo(f"bead {bead}: {word} → {reading}")
            return
    raise InputError(f"{word!r} is not in the source of bead {bead}.")


@apparatus_group.command("readings")
@click.argument("doc")
@click.option("--remove", "remove_id", type=int, metavar="ID", help="Remove the reading with this id.")
@pass_app
def readings_cmd(app: AppContext, doc: str, remove_id: int | None) -> None:
    """List DOC's confirmed readings (id, bead, printed → read, who), or remove one."""
    from tolmach.service.apparatus import list_readings, remove_reading

    if remove_id is not None:
        remove_reading(app.store, remove_id)
        click.echo(f"Reading {remove_id} removed.")
        return
    rows = list_readings(app.store, doc)
    for r in rows:
        click.echo(f"{r.id:>5}  bead {r.bead_number:>4}  {r.sic} → {r.reading}  ({r.author or 'unknown'})")
    click.echo(f"{len(rows)} reading(s).")


@apparatus_group.command("sic")
@click.argument("doc")
@click.argument("bead", type=int)
@click.argument("anchor")
@click.option("--text", default=None, help="The note's text (default: the project's sic-text, [sic]).")
@pass_app
def sic_cmd(app: AppContext, doc: str, bead: int, anchor: str, text: str | None) -> None:
    """Attach the editorial [sic] note to ANCHOR, a word of bead BEAD's translation."""
    from tolmach.service.apparatus import add_sic_note

    note_id = add_sic_note(app.store, _bead_id(app, doc, bead), anchor, text)
    click.echo(f"Note {note_id} on {anchor!r} in bead {bead}.")


@apparatus_group.command("names")
@click.argument("doc", required=False)
@click.option("--scheme", default=None, help="Romanisation (default: the project's; ala_lc, bgn_pcgn, gost_779 ...).")
@click.option("--consistency", is_flag=True, help="Across all documents: people rendered in more than one way.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def names_cmd(app: AppContext, doc: str | None, scheme: str | None, consistency: bool, as_json: bool) -> None:
    """Names of people and places in DOC and how the edition renders them: the
    glossary's authority form (type person/place), else the romanisation scheme."""
    from tolmach.service.apparatus import document_names, name_consistency

    if consistency:
        uses = name_consistency(app.store)
        for u in uses:
            click.echo(f"{u.lemma}: " + "; ".join(f"{form} in {', '.join(docs)}" for form, docs in u.renderings.items()))
        click.echo(f"{len(uses)} name(s) rendered in more than one way.")
        return
    if doc is None:
        raise InputError("Name a document, or use --consistency.")
    for n in document_names(app.store, doc, scheme):
        m = n.mention
        if as_json:
            _echo_json({**m.to_json(), "segment": n.position + 1, "rendering": n.rendering, "authority": n.authority})
        else:
            click.echo(f"{m.kind:<6} {m.surface} ({m.lemma}) → {n.rendering}{'  [authority]' if n.authority else ''}")


@apparatus_group.command("dates")
@click.argument("doc")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def dates_cmd(app: AppContext, doc: str, as_json: bool) -> None:
    """Dates in DOC, ``с. г.`` resolved from the dateline; a year the source does not
    print is shown in brackets, as editors supply it."""
    from tolmach.service.apparatus import document_dates

    for pos, d in document_dates(app.store, doc):
        if as_json:
            _echo_json({**d.to_json(), "segment": pos + 1, "english": d.english()})
        else:
            click.echo(f"{d.surface} → {d.english()}  (when={d.iso})")


@apparatus_group.command("cite")
@click.argument("doc")
@click.option("--style", type=click.Choice(["printed", "chicago"]), default=None,
              help="As printed, or Chicago-style English (default: the project's citation-style).")
@click.option("--notes", is_flag=True, help="Every archival reference in DOC's notes, Ibid. resolved.")
@click.option("--json", "as_json", is_flag=True)
@pass_app
def cite_cmd(app: AppContext, doc: str, style: str | None, notes: bool, as_json: bool) -> None:
    """The archival citation DOC carries (its reference line), parsed and cited."""
    from tolmach.apparatus.citations import cite
    from tolmach.service.apparatus import (
        document_citation,
        document_notes_citations,
        get_setting,
    )

    style = style or get_setting(app.store, "citation-style")
    found = [c for _, c in document_notes_citations(app.store, doc)] if notes else [document_citation(app.store, doc)]
    found = [c for c in found if c is not None]
    if not found:
        raise InputError(f"{doc!r} carries no archival reference that could be parsed.")
    for c in found:
        if as_json:
            _echo_json({**c.to_json(), "cited": cite(c, style)})
        else:
            click.echo(cite(c, style))


@apparatus_group.command("settings")
@click.argument("key", required=False)
@click.argument("value", required=False)
@pass_app
def settings_cmd(app: AppContext, key: str | None, value: str | None) -> None:
    """Show the project's apparatus settings, or set KEY to VALUE:
    sic-notes (yes|no), sic-text, romanisation (an iuliia scheme), citation-style
    (printed|chicago)."""
    from tolmach.service.apparatus import set_setting, settings

    if key and value is None:
        raise InputError(f"Give a value for {key}.")
    if key:
        set_setting(app.store, key, value or "")
    for k, v in settings(app.store).items():
        click.echo(f"{k} = {v}")


@apparatus_group.command("import-tei")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", default=None, help="Name of the new document (default: the edition's title).")
@pass_app
def import_tei_cmd(app: AppContext, file: Path, name: str | None) -> None:
    """Create a document from a TEI edition written by `tolmach export --format tei`:
    sentences, beads, translations, provenance, notes and confirmed readings."""
    from tolmach.service.apparatus import import_tei

    _, created = import_tei(app.store, file, name=name)
    click.echo(f"{file}: imported as {created!r}.")
