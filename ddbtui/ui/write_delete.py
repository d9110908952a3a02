"""Delete the item under the cursor (``delete``, in the results or the item view): asks first, then a
DeleteItem conditional on the item being as it was listed (or, for rows read with a projection or from an
index, only on its existing); the old item stays in the journal, so ``ctrl+z`` puts it back.

The batch delete of the selected rows is selection_actions.py.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ddbtui.aws.writes import WriteResult
from ddbtui.core.capacity import write_units
from ddbtui.core.errors import UsageError
from ddbtui.core.values import safe_text
from ddbtui.core.writes import WriteConflict, delete_request, diff_items, key_of, transition_request
from ddbtui.ui.results import capacity_text
from ddbtui.ui.screens.write_screens import ConfirmScreen, ConflictScreen, section
from ddbtui.ui.widgets.diff_view import DiffView
from ddbtui.ui.write_session import WriteSession, item_key


class DeleteFlow:
    """The single delete, through ``session``'s policy, worker and journal."""

    def __init__(self, session: WriteSession) -> None:
        self.s = session
        self.app = session.app

    def delete(self) -> None:
        """``delete``: asks first (the focus on Cancel), then deletes; conditional on the item as listed."""
        target = self.s.writable_target()
        if target is None:
            return
        item, schema, row = target
        key = key_of(item, schema)
        cost = write_units(item, None, schema).to_capacity(estimated=True)
        body: list[Any] = [
            Text(f"{safe_text(schema.name)} · {item_key(item, schema)}", style="bold"),
            Text(
                f"{capacity_text(cost)} · the old item stays in the journal: ctrl+z puts it back", style="dim"
            ),
            section("The item:"),
            DiffView(diff_items(item, None)),
        ]
        full = self.s.full_items()

        def chosen(choice: str | None) -> None:
            if choice != "delete" or self.s.refused(schema.name):
                return
            try:
                # whole items: only if unchanged since listed; projected rows: only if it exists
                request = transition_request(schema, item, None) if full else delete_request(schema, key)
            except UsageError as e:
                self.app.show_error(str(e), in_results=False)
                return

            def done(result: WriteResult) -> None:
                self.s.written("deleted", schema, result, row)

            def failed(error: BaseException) -> bool:
                if not isinstance(error, WriteConflict):
                    return False
                self.s.sync_row(schema, key, error.current, row)
                self.app.push_screen(ConflictScreen(str(error), item, error.current))
                return True

            self.s.run(f"DeleteItem {schema.name}…", lambda: self.s.execute(request, schema), done, failed)

        self.app.push_screen(
            ConfirmScreen(
                "Delete this item?", body, [("delete", "Delete", "error")], dialog_id="delete-dialog"
            ),
            chosen,
        )
