"""Writes from the workbench: the policy and its badge, edit / put / update / delete / rekey / undo, each
asked for, shown as a diff, sent from a worker thread, journaled and added to the session ledger.

Read-only by default (``--allow-writes[=TABLES]`` or a confirmed ``ctrl+w`` lifts it). Every action checks
the policy before it sends anything — the consistent read an edit starts with included — and says how to
enable writes when it refuses. An edit is conditional on the item being as it was read (``edit_request``),
so a concurrent change is shown as a conflict, never overwritten.

This module holds the policy toggle and dispatches the actions; what they share is write_session.py, the
flows are write_edit.py (edit, put, rekey, update), write_delete.py and write_undo.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text

from ddbtui.core.values import safe_text
from ddbtui.core.writes import WritePolicy
from ddbtui.ui.commands import PaletteCommand
from ddbtui.ui.host import Host
from ddbtui.ui.screens.edit_screen import EditScreen
from ddbtui.ui.screens.write_screens import ConfirmScreen, DiffScreen, UpdateScreen
from ddbtui.ui.write_delete import DeleteFlow
from ddbtui.ui.write_edit import EditFlow
from ddbtui.ui.write_session import WriteSession
from ddbtui.ui.write_undo import UNDO_SHOWN, UndoFlow

__all__ = ["UNDO_SHOWN", "WriteActions"]  # UNDO_SHOWN: where it was before the split


class WriteActions:
    """The workbench's writes. ``allow_writes`` is the ``--allow-writes`` value (None: read-only)."""

    def __init__(self, app: Host, allow_writes: str | bool | None = None) -> None:
        self.app = app
        self.session = WriteSession(app, WritePolicy.from_flag(allow_writes))
        self._flag_tables = self.policy.tables  # what the toggle gives back when turned on again
        self._edit = EditFlow(self.session)
        self._delete = DeleteFlow(self.session)
        self._undo = UndoFlow(self.session)

    @property
    def policy(self) -> WritePolicy:
        return self.session.policy

    @policy.setter
    def policy(self, policy: WritePolicy) -> None:
        self.session.policy = policy

    # --- the actions (flows in write_edit, write_delete, write_undo) ----------------------------------------

    def edit(self) -> None:
        """``e``: a fresh consistent read of the item under the cursor, into the editor."""
        self._edit.edit()

    def new_item(self) -> None:
        """``i``: a new item (put, create-only) in the open table: the editor prefilled with its key."""
        self._edit.new_item()

    def update(self) -> None:
        """``u``: an update expression with a live preview on a fresh consistent read of the item."""
        self._edit.update()

    def delete(self) -> None:
        """``delete``: asks first (the focus on Cancel), then deletes; conditional on the item as listed."""
        self._delete.delete()

    def undo(self) -> None:
        """``ctrl+z``: show the last journaled group of writes, and restore the old images after a confirm."""
        self._undo.undo()

    # --- policy and badge ---------------------------------------------------------------------------

    def show_badge(self) -> None:
        self.app.status.set_badge(self.policy.label, self.policy.enabled)

    def toggle(self) -> None:
        """Writes off at once; on only after a confirmation (the focus starts on Cancel)."""
        if self.policy.enabled:
            self.policy = WritePolicy(False)
            self.show_badge()
            self.app.notify("writes off: read-only", timeout=3, markup=False)
            return
        table = self.app.schema.name if self.app.schema is not None else None
        choices = []
        if self._flag_tables:
            names = ", ".join(sorted(self._flag_tables))
            choices.append(("flag", f"Only {names}", "warning"))
        if table and table not in (self._flag_tables or ()):
            choices.append(("table", f"Only {table}", "warning"))
        choices.append(("all", "All tables", "error"))
        body: list[Any] = [
            Text(
                "ddbtui is read-only. With writes on, edit, put, update and delete change data in "
                f"{safe_text(self.app.connection_label or 'this connection')}. Each write asks first, is "
                "conditional on the item being as it was read, and is kept in the journal for undo (ctrl+z)."
            )
        ]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "flag":
                self.policy = WritePolicy(True, self._flag_tables)
            elif choice == "table" and table:
                self.policy = WritePolicy(True, [table])
            else:
                self.policy = WritePolicy(True)
            self.show_badge()
            self.app.notify(
                safe_text(f"{self.policy.label}: ctrl+w turns writes off"), timeout=3, markup=False
            )

        self.app.push_screen(
            ConfirmScreen("Turn writes on?", body, choices, dialog_id="writes-dialog"), chosen
        )

    # --- palette and help -----------------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        on = self.policy.enabled
        return [
            PaletteCommand(
                "Writes: turn off (read-only)" if on else "Writes: turn on…",
                "ctrl+w: " + ("at once" if on else "asks first; read-only is the default"),
                self.toggle,
            ),
            PaletteCommand(
                "Edit the item", "e in the results or the item view: JSON editor, diff, write", self.edit
            ),
            PaletteCommand(
                "New item (put)", "i in the results: the editor with the table's key", self.new_item
            ),
            PaletteCommand(
                "Update the item with an expression", "u: SET / REMOVE / ADD / DELETE, previewed", self.update
            ),
            PaletteCommand(
                "Delete the item", "delete in the results or the item view: asks first", self.delete
            ),
            PaletteCommand(
                "Undo the last write", "ctrl+z: restores the journaled old image, asks first", self.undo
            ),
        ]

    @staticmethod
    def help_rows(rows: Callable[[list[Any]], list[tuple[str, str]]]) -> list[tuple[str, str]]:
        """The keys of the editor and the write dialogs, for f1 (``rows`` applies the keymap)."""
        return [
            *rows([b for s in (EditScreen, DiffScreen, UpdateScreen) for b in s.BINDINGS if b.show]),
            ("left, right", "Dialogs: move between the buttons (the focus starts on Cancel / Back)"),
            ("enter", "Update dialog: write the previewed update"),
        ]
