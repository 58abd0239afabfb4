"""Helpers for the TUI tests: read what is on the screen, read what is in the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import select

from tolmach.store import Bead, Store


def screen_text(app) -> str:
    """The whole screen as plain text, one line per terminal row (what a user sees)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def beads(store: Store, document_id: int) -> list[Bead]:
    with store.read() as s:
        return list(s.scalars(select(Bead).where(Bead.document_id == document_id).order_by(Bead.position)))


async def settle(pilot, app=None) -> None:
    """Let workers finish and the screen catch up."""
    app = app or pilot.app
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


@asynccontextmanager
async def opened(store: Store, size: tuple[int, int] = (120, 40)) -> AsyncIterator[tuple]:
    """The workbench on ``store``, headless, notifications on, first screen drawn."""
    from tolmach.tui.app import TolmachApp

    app = TolmachApp(store)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        yield app, pilot
