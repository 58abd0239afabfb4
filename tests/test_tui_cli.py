"""``tolmach`` with no command: an empty database is seeded, then the workbench opens on it."""

from __future__ import annotations

import asyncio

from tui_fixtures import screen_text, settle

from tolmach.cli import main
from tolmach.tui import app as tui_app


def test_no_command_seeds_and_opens_the_workbench(tmp_path, monkeypatch, capsys):
    seen: dict[str, object] = {}

    def run_headless(self: tui_app.TolmachApp) -> None:
        """Instead of taking over the terminal, drive the same app instance headless."""

        async def scenario() -> None:
            async with self.run_test(size=(120, 40)) as pilot:
                await settle(pilot)
                seen["screen"] = screen_text(self)
                seen["db"] = self.store.path
                await pilot.press("ctrl+q")

        asyncio.run(scenario())

    monkeypatch.setattr(tui_app.TolmachApp, "run", run_headless)
    monkeypatch.setattr("tolmach.cli.workbench.has_terminal", lambda: True)  # pytest captures stdout
    db = tmp_path / "fresh.db"
    main(["--db", str(db)])
    err = capsys.readouterr().err
    assert "importing the bundled seed documents" in err
    assert seen["db"] == db
    assert "Document I" in str(seen["screen"]).splitlines()[0]
    assert "Уважаемые товарищи!" in str(seen["screen"])
