"""``tolmach tm import|list|remove|match|propagate|undo`` and ``tolmach search``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tolmach.cli.base import AppContext, cli, echo_styled, pass_app
from tolmach.terminal import neutralise

if TYPE_CHECKING:
    from tolmach.memory import Proposal


def _bold_spans(text: str, spans: tuple[tuple[int, int], ...], color: bool) -> str:
    """``text`` with its hits bold (``color``: for :func:`echo_styled`, the text itself
    neutralised) or in [brackets]."""
    plain = neutralise if color else str
    if not spans:
        return plain(text)
    out, pos = [], 0
    for s, e in spans:
        out.append(plain(text[pos:s]))
        hit = text[s:e]
        out.append(click.style(plain(hit), bold=True, underline=True) if color else f"[{hit}]")
        pos = e
    out.append(plain(text[pos:]))
    return "".join(out)


def _proposal_json(p: Proposal) -> dict[str, Any]:
    from tolmach.service.memory import Provenance

    prov = p.provenance
    assert isinstance(prov, Provenance)  # what the service's proposals carry
    return {
        "score": p.score,
        "source": p.source,
        "target": p.target,
        "original_target": p.original_target,
        "diff": [{"kind": d.kind, "text": d.text} for d in p.diff],
        "numbers": [{"old": n.old, "new": n.new, "substituted": n.substituted} for n in p.numbers],
        "flagged": p.flagged,
        "provenance": {
            "kind": prov.kind,
            "document": prov.document or None,
            "bead": prov.number,
            "memory": prov.memory or None,
            "author": prov.author,
            "date": prov.date.isoformat() if prov.date else None,
            "status": prov.status,
        },
    }


def _diff_text(p: Proposal, color: bool) -> str:
    """The word diff, coloured (``color``: for :func:`echo_styled`) or marked up."""
    plain = neutralise if color else str
    out = []
    for d in p.diff:
        if d.kind == "same":
            out.append(plain(d.text))
        elif d.kind == "missing":
            out.append(click.style(f"+{plain(d.text.strip())} ", fg="green") if color else f"{{+{d.text.strip()}+}} ")
        else:
            out.append(click.style(plain(d.text), fg="red", bold=True) if color else f"[-{d.text}-]")
    return "".join(out)


def _echo(line: str, color: bool) -> None:
    if color:
        echo_styled(line)
    else:
        click.echo(line)


@cli.group("tm")
def tm_group() -> None:
    """The translation memory: every human or imported bead of every document, plus
    external memories imported without touching any bead.

    \b
      tolmach tm import old-project.tmx --name old   external memory (TMX, XLIFF, TSV, JSONL)
      tolmach tm list                                 the external memories
      tolmach tm remove old                           forget one
      tolmach tm match "Уважаемые товарищи!"          fuzzy matches with provenance
    """


@tm_group.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", help="Name of the memory (default: the file name without extension).")
@pass_app
def tm_import(app: AppContext, file: Path, name: str | None) -> None:
    """Import FILE (.tmx, .xliff, .tsv, .jsonl) as an external memory; no bead changes."""
    from tolmach.service.memory import import_memory

    r = import_memory(app.store, file, name=name)
    click.echo(f"{file}: memory {r.name!r} with {r.units} unit(s) ({r.format})"
               + (f"; {r.skipped_empty} without source or target skipped" if r.skipped_empty else "") + ".")


@tm_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per memory.")
@pass_app
def tm_list(app: AppContext, as_json: bool) -> None:
    """List the external memories (the documents' own beads are always in the memory)."""
    from tolmach.service.memory import list_memories

    mems = list_memories(app.store)
    if as_json:
        for m in mems:
            click.echo(json.dumps({"name": m.name, "path": m.path, "format": m.format, "src_lang": m.src_lang,
                                   "tgt_lang": m.tgt_lang, "units": m.units,
                                   "imported_at": m.imported_at.isoformat() if m.imported_at else None}, ensure_ascii=False))
        return
    if not mems:
        click.echo("No external memories: `tolmach tm import FILE.tmx` adds one. Every document's translated beads are in the memory anyway.")
        return
    width = max(len(m.name) for m in mems)
    for m in mems:
        click.echo(f"{m.name:<{width}}  {m.src_lang}→{m.tgt_lang}  {m.units:>7} units  {m.format:<5}  {m.path}")


@tm_group.command("remove")
@click.argument("name")
@pass_app
def tm_remove(app: AppContext, name: str) -> None:
    """Remove the external memory NAME (a database file is backed up first)."""
    from tolmach.service.memory import remove_memory

    with app.backup_if_changed("tm-remove") as changed:
        n = remove_memory(app.store, name)
        changed(True)
    click.echo(f"Removed memory {name!r} ({n} unit(s)).")


@tm_group.command("match")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True)
@click.option("--min", "minimum", type=click.IntRange(1, 100), default=50, show_default=True, help="Lowest score shown (%).")
@click.option("--from", "src_lang", metavar="LANG", help="Only entries with this source language.")
@click.option("--to", "tgt_lang", metavar="LANG", help="Only entries with this target language.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match.")
@pass_app
def tm_match(app: AppContext, text: str, limit: int, minimum: int, src_lang: str | None, tgt_lang: str | None, as_json: bool) -> None:
    """Fuzzy matches for TEXT: score, the TM source with the differing words marked, the
    proposal (numbers that changed substituted where unambiguous) and where it comes from."""
    from tolmach.service.memory import Provenance, match

    found = match(app.store, text, src_lang=src_lang, tgt_lang=tgt_lang, limit=limit, minimum=minimum)
    if as_json:
        for p in found:
            click.echo(json.dumps(_proposal_json(p), ensure_ascii=False))
        return
    if not found:
        click.echo(f"No match of {minimum}% or more.")
        return
    color = sys.stdout.isatty()
    for p in found:
        prov = p.provenance
        assert isinstance(prov, Provenance)  # match_text gives every proposal one
        when = prov.date.strftime("%Y-%m-%d") if prov.date else "?"
        click.echo(f"{p.score:>3}%  {prov.label} · {prov.author or '?'} · {when} · {prov.status}")
        _echo(f"      {_diff_text(p, color)}", color)
        click.echo(f"   →  {p.target}")
        for n in p.numbers:
            click.echo(f"      ! number {n.old} → {n.new or '?'}" + (" substituted" if n.substituted else " not substituted (ambiguous): check it"))


@tm_group.command("propagate")
@click.argument("doc")
@click.argument("number", type=int)
@pass_app
def tm_propagate(app: AppContext, doc: str, number: int) -> None:
    """Give bead NUMBER's target to every repetition of its source (any document)."""
    from tolmach.service.memory import propagate_repetitions

    bead_id = _bead_id(app, doc, number)
    r = propagate_repetitions(app.store, bead_id)
    if not r.changed:
        click.echo("No repetition to fill" + (f" ({r.kept} kept: a person's or imported translation)." if r.kept else "."))
        return
    click.echo(f"Filled {len(r.changed)} repetition(s): " + ", ".join(f"{d} #{n}" for d, n in r.changed)
               + f". `tolmach tm undo {r.group_id}` undoes them all.")


@tm_group.command("undo")
@click.argument("group", type=int)
@pass_app
def tm_undo(app: AppContext, group: int) -> None:
    """Undo the repetitions filled by one propagation (GROUP as printed by propagate)."""
    from tolmach.service.memory import undo_group

    n = undo_group(app.store, group)
    click.echo(f"Restored {n} bead(s).")


def _bead_id(app: AppContext, doc: str, number: int) -> int:
    from tolmach.errors import InputError
    from tolmach.service import documents as doc_service
    from tolmach.service.beads import bead_by_number

    with app.store.read() as s:
        d = doc_service.find_document(s, doc)
        bead = bead_by_number(s, d.id, number)
        if bead is None:
            raise InputError(f"{d.name} has no bead {number}.")
        return bead.id


@cli.command("search")
@click.argument("query")
@click.option("--in", "side", type=click.Choice(["source", "target", "both"]), default="both", show_default=True)
@click.option("--doc", metavar="DOC", help="Only this document (memories are left out).")
@click.option("--regex", is_flag=True, help="QUERY is a regular expression (case-insensitive).")
@click.option("--limit", type=click.IntRange(1, 100_000), default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per hit, with the hit spans.")
@pass_app
def search_cmd(app: AppContext, query: str, side: str, doc: str | None, regex: bool, limit: int, as_json: bool) -> None:
    """Concordance: every bead and memory unit containing QUERY, source and target side
    by side, the hits marked.  Russian words match in any inflected form
    (`Варшавский договор` finds `Варшавского Договора`)."""
    from tolmach.service import documents as doc_service
    from tolmach.service.memory import search

    doc_id = None
    if doc:
        with app.store.read() as s:
            doc_id = doc_service.find_document(s, doc).id
    result = search(app.store, query, side=side, document_id=doc_id, regex=regex, limit=limit)
    if as_json:
        for h in result.hits:
            click.echo(json.dumps({
                "kind": h.kind, "document": h.document or None, "bead": h.number, "memory": h.memory or None,
                "status": h.status, "source": h.source, "target": h.target,
                "source_hits": [list(x) for x in h.source_spans], "target_hits": [list(x) for x in h.target_spans],
            }, ensure_ascii=False))
        return
    color = sys.stdout.isatty()
    for h in result.hits:
        where = f"{h.document} #{h.number}" if h.kind == "bead" else f"memory {h.memory}"
        click.echo(f"{where} ({h.status})")
        _echo(f"  {_bold_spans(h.source, h.source_spans, color)}", color)
        _echo(f"  {_bold_spans(h.target, h.target_spans, color) if h.target else '(untranslated)'}", color)
    more = " (more exist: raise --limit)" if result.truncated else ""
    click.echo(f"{len(result.hits)} hit(s){more}.")


def fill_from_tm_cmd(app: AppContext, document_id: int, minimum: int) -> None:
    """The --from-tm part of ``tolmach translate``."""
    from tolmach.service.memory import fill_from_tm

    r = fill_from_tm(app.store, document_id, minimum=minimum)
    kind = "exact" if minimum == 100 else f"{minimum}%+"
    click.echo(f"{r.document}: filled {len(r.filled)} bead(s) from {kind} memory matches"
               + (f" ({r.flagged} flagged: numbers changed)" if r.flagged else "")
               + f"; {r.no_match} without a match, {r.kept} already translated.")


def export_document_cmd(app: AppContext, docs: tuple[str, ...], all_docs: bool, fmt: str, out: Path,
                        bilingual: bool, complete: bool, force: bool) -> None:
    """``tolmach export DOC --format text|markdown|html|docx``: the translated document."""
    from tolmach.errors import InputError
    from tolmach.service import documents as doc_service
    from tolmach.service.assembly import export_document

    if all_docs or len(docs) != 1:
        raise InputError(f"The {fmt} format writes one translated document; name exactly one DOC.")
    with app.store.read() as s:
        doc_id = doc_service.find_document(s, docs[0]).id
    r = export_document(app.store, doc_id, fmt, out, bilingual=bilingual, complete=complete, force=force)
    from tolmach import wording

    for warning in wording.notices(r.notices):
        click.echo(f"tolmach: warning: {warning}", err=True)
    edition = "the bilingual edition of " if bilingual else ""
    where = "standard output" if str(out) == "-" else str(r.path)
    click.echo(f'Wrote {edition}"{r.document}" ({r.paragraphs} paragraph(s)) as {r.format} to {where}.',
               err=str(out) == "-")
