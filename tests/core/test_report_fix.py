"""The report's fixes as alter requests (#14): each fixable finding maps to the change ``ddbtui alter``
makes, and ``plan_alter`` turns it into the calls that fix it."""

from __future__ import annotations

from ddbtui.core.admin import TableState, plan_alter
from ddbtui.core.report import findings
from ddbtui.core.report.fixes import fix_for, fixable
from tests.core.test_report_rules import by_id, desc, facts_for, gsi


def test_settings_findings_map_to_alter_requests_and_their_plans():
    f = facts_for(
        desc(), backups={"PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}}
    )
    fixes = fixable(f, findings(f))
    assert {"pitr-off", "deletion-protection-off"} <= set(fixes)
    state = TableState(f.schema, pitr=False)
    pitr = plan_alter(state, fixes["pitr-off"].request)
    assert [s.operation for s in pitr.steps] == ["UpdateContinuousBackups"]
    dp = plan_alter(state, fixes["deletion-protection-off"].request)
    assert dp.steps[0].params["DeletionProtectionEnabled"] is True and dp.steps[0].undo


def test_capacity_and_index_findings_map_to_their_changes():
    d = desc(billing="PROVISIONED", rcu=10, wcu=20, gsis=[gsi("G", "g", wcu=5)])
    f = facts_for(d, autoscaling=[])
    found = findings(f)
    scaling = fix_for(f, by_id(found, "autoscaling-off"))
    assert scaling is not None and scaling.request.autoscaling.target == 70
    assert scaling.request.autoscaling.minimum == 5 and scaling.request.autoscaling.maximum == 80
    gw = fix_for(f, by_id(found, "gsi-write-capacity"))
    assert gw is not None and gw.request.gsi_throughput == {"G": (5, 20)}


def test_findings_without_a_change_have_no_fix():
    f = facts_for(desc())
    found = findings(f)
    assert "no-tags" not in fixable(f, found)
    assert all(fix_for(f, x) is None for x in found if x.id in ("autoscaling-on", "no-tags"))
