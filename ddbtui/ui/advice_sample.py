"""The advisor's sample of a table in the workbench: read once per table, on an explicit ask (f4, explain),
in a worker, and kept for the session so the advisor line and f6 use the same sample as explain.

Reading it costs capacity (bounded: ``aws.advisor_sample.default_cap``), so it is never read behind the
user's back: the first f4 on a table reads it, says so on the status line and in the plan ("Sample …,
read for this advice"), and counts it in the session's ledger. The demo's tables are sized from their
data set instead, as ``ddbtui --demo explain`` does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from ddbtui.core.advisor import TableSample
from ddbtui.core.capacity import ConsumedCapacity
from ddbtui.core.schema import TableSchema
from ddbtui.ui.errors import describe_error
from ddbtui.ui.host import Host


class AdviceSamples:
    """Table name → its sample (None: reading it failed or was refused; not retried this session)."""

    def __init__(self, app: Host) -> None:
        self.app = app
        self.samples: dict[str, TableSample | None] = {}

    def get(self, table: str) -> TableSample | None:
        return self.samples.get(table)

    def wanted(self, schema: TableSchema) -> bool:
        """Whether f4 should read a sample of ``schema``'s table first."""
        return schema.name not in self.samples and not self.app.seed_demo

    def read(self, schema: TableSchema, then: Callable[[], None]) -> None:
        """Read ``schema``'s sample in a worker, then call ``then`` on the UI thread (also on failure)."""
        app = self.app
        app.status.set_activity(f"reading a sample of {schema.name} for the advice", busy=True)
        client, estimate = app.client, app.estimate

        def work() -> None:
            from ddbtui.aws.advisor_sample import read_advisor_sample

            sample: TableSample | None = None
            error: str | None = None
            try:
                sample = read_advisor_sample(client, schema, estimate_capacity=estimate)
            except Exception as e:  # an AWS error (no permission, throttled): advice without a sample
                error = describe_error(e)
            with contextlib.suppress(RuntimeError):  # the app is gone
                app.call_from_thread(self._done, schema, sample, error, then)

        app.run_worker(work, thread=True, group="advice-sample", exclusive=True, exit_on_error=False)

    def _done(
        self, schema: TableSchema, sample: TableSample | None, error: str | None, then: Callable[[], None]
    ) -> None:
        app = self.app
        self.samples[schema.name] = sample
        app.status.set_activity("")
        if error is not None:
            app.notify(f"no sample for the advice: {error}", severity="warning", markup=False, timeout=6)
        if sample is not None and sample.consumed_rcu:
            capacity = ConsumedCapacity(
                sample.consumed_rcu, table=sample.consumed_rcu, estimated=sample.estimated,
                table_name=schema.name,
            )  # fmt: skip
            app.ledger.record(
                "Scan (advisor sample)", schema.name, capacity, billing_mode=schema.billing_mode
            )
            app.status.render_status()
        then()
