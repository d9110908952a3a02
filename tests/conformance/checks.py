"""What a case's outcome must show: ddbtui's answer equal to DynamoDB's (the boto3 oracle's).

Each check returns a list of problems (empty: conforms), so one failing case reports every difference.
"""

from __future__ import annotations

import json
import pprint
from decimal import Decimal
from typing import Any

from tests.conformance.av import (
    Num,
    item_from_ddb_json,
    match_items,
    plain_item_actual,
    plain_item_expected,
    typed_item,
)
from tests.conformance.cases import Case
from tests.conformance.harness import Proc, ReadOutcome, WriteOutcome, key_names

VE = "ValidationException"
OPERATION = {"put_item": "put", "update_item": "update", "delete_item": "delete"}


def header(case: Case) -> str:
    lines = [f"case {case.id}  ({case.source})", f"  ddbtui {' '.join(case.cli)[:400]}"]
    request = json.dumps(case.request, default=repr, ensure_ascii=False)
    lines.append(f"  boto3 {case.op}({request[:600]})")
    if case.defect:
        lines.append(f"  known defect {case.defect} of issue #19{': ' + case.note if case.note else ''}")
    elif case.note:
        lines.append(f"  note: {case.note}")
    return "\n".join(lines)


def report(case: Case, problems: list[str]) -> str:
    return header(case) + "\n" + "\n".join(f"- {p}" for p in problems)


def _fmt(value: Any) -> str:
    return pprint.pformat(value, width=110, compact=True)


def diff(label: str, expected: Any, actual: Any) -> str:
    """The first difference between two values, with both shown."""
    if isinstance(expected, list) and isinstance(actual, list):
        for i, (e, a) in enumerate(zip(expected, actual, strict=False)):
            if e != a:
                return (f"{label}: item {i} differs ({len(actual)} items, DynamoDB {len(expected)})\n"
                        f"    DynamoDB: {_fmt(e)}\n    ddbtui:   {_fmt(a)}")  # fmt: skip
        longer, who = (expected, "DynamoDB") if len(expected) > len(actual) else (actual, "ddbtui")
        extra = longer[min(len(expected), len(actual)) :]
        return (f"{label}: ddbtui has {len(actual)} items, DynamoDB {len(expected)}; only {who} has "
                f"{_fmt(extra[:3])}{' …' if len(extra) > 3 else ''}")  # fmt: skip
    if isinstance(expected, dict) and isinstance(actual, dict):
        keys = [k for k in {**expected, **actual} if expected.get(k, _ABSENT) != actual.get(k, _ABSENT)]
        shown = {k: (expected.get(k, _ABSENT), actual.get(k, _ABSENT)) for k in keys}
        return f"{label} differs in {keys} as (DynamoDB, ddbtui):\n    {_fmt(shown)}"
    return f"{label} differs\n    DynamoDB: {_fmt(expected)}\n    ddbtui:   {_fmt(actual)}"


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()


def check_case_table(case: Case, error: tuple[str, str] | None) -> None:
    """The case says what DynamoDB does with its boto3 request; when DynamoDB does otherwise, the case
    itself is wrong (an assertion of its own, so such a failure never passes for a ddbtui bug)."""
    want = VE if case.expect == "refuse" else case.expect
    if want == "ok":
        assert error is None, f"case table: DynamoDB refused the boto3 request: {error}\n{header(case)}"
    else:
        assert error is not None and error[0] == want, (
            f"case table: expected DynamoDB to answer {want}, it answered {error or 'OK'}\n{header(case)}"
        )


def check_error(case: Case, error: tuple[str, str], proc: Proc) -> list[str]:
    """DynamoDB refused the request: ddbtui must fail too, ValidationException as exit 2 (its own message)
    or exit 3 (naming the AWS error), any other AWS error as exit 3 naming it; ``refuse``: exit 2 only."""
    code, message = error
    rc, stderr = proc.returncode, proc.stderr
    problems = []
    if "Traceback" in stderr:
        problems.append(f"a traceback on stderr\n{proc.describe()}")
    if not stderr.strip():
        problems.append("no message on stderr")
    if case.expect == "refuse":
        if rc != 2:
            problems.append(f"DynamoDB refuses this ({code}: {message}); ddbtui must refuse it before sending "
                            f"(exit 2), it exited {rc}\n{proc.describe()}")  # fmt: skip
    elif code == VE:
        if not (rc == 2 or (rc == 3 and code in stderr)):
            problems.append(f"DynamoDB answers {code}: {message}; ddbtui must exit 2 (its own message) or 3 "
                            f"(naming {code}), it exited {rc}\n{proc.describe()}")  # fmt: skip
    elif not (rc == 3 and code in stderr):
        problems.append(f"DynamoDB answers {code}: {message}; ddbtui must exit 3 naming it, it exited {rc}\n"
                        f"{proc.describe()}")  # fmt: skip
    return problems


def _float(v: Any) -> float:
    return float(v.value if isinstance(v, Num) else v)


def _cap_view(cap: dict[str, Any] | None) -> dict[str, Any] | None:
    if cap is None:
        return None
    indexes = {k: round(_float(v), 6) for k, v in (cap.get("indexes") or {}).items() if _float(v) != 0}
    return {"total": round(_float(cap.get("total", 0)), 6), "table": round(_float(cap.get("table", 0)), 6),
            "indexes": indexes}  # fmt: skip


def check_capacity(label: str, expected: dict[str, Any] | None, actual: Any) -> list[str]:
    """ddbtui's ``consumed_capacity`` must be DynamoDB Local's reported figure, marked not estimated."""
    if expected is None:
        return [f"{label}: DynamoDB reported no ConsumedCapacity for this request (case table?)"]
    if not isinstance(actual, dict):
        return [f"{label}: ddbtui printed no consumed_capacity (got {actual!r})"]
    problems = []
    if actual.get("estimated") is not False:
        problems.append(f"{label}: ddbtui shows its own estimate (estimated={actual.get('estimated')}) where "
                        "DynamoDB Local reports the capacity")  # fmt: skip
    want, got = _cap_view(expected), _cap_view(actual)
    if want != got:
        problems.append(diff(label, want, got))
    return problems


def _key_plain(key: dict[str, Any] | None, guide: dict[str, Any] | None) -> Any:
    return None if key is None else plain_item_actual(key, guide)


def _ordered(case: Case) -> bool:
    if case.segments:
        return False
    return case.ordered if case.ordered is not None else case.op in ("query", "execute_statement")


def check_read(out: ReadOutcome) -> list[str]:
    case, oracle, proc = out.case, out.oracle, out.cli
    check_case_table(case, oracle.error)
    if oracle.error is not None:
        return check_error(case, oracle.error, proc)
    if proc.returncode != 0:
        return [f"ddbtui failed where DynamoDB answered {oracle.count} items\n{proc.describe()}"]
    doc = proc.doc()
    if not isinstance(doc, dict):
        return [f"no JSON document on stdout: {proc.stdout[:500]!r}"]
    problems = []
    if "Traceback" in proc.stderr:
        problems.append(f"a traceback on stderr\n{proc.describe()}")
    actual, expected = match_items(doc.get("items") or [], oracle.items, _ordered(case))
    if actual != expected:
        problems.append(diff("items" + ("" if _ordered(case) else " (as a set)"), expected, actual))
    if doc.get("count") != Decimal(oracle.count):
        problems.append(f"count: ddbtui {doc.get('count')}, DynamoDB {oracle.count}")
    if case.op != "get_item":
        problems += _check_paging(case, out, doc)
    if case.compare_capacity:
        problems += check_capacity("consumed_capacity", oracle.capacity, doc.get("consumed_capacity"))
        pages = doc.get("pages") or []
        if case.limit is None and len(pages) == len(oracle.pages):
            for i, (page, want) in enumerate(zip(pages, oracle.pages, strict=True)):
                problems += check_capacity(f"page {i + 1} consumed_capacity", want.capacity,
                                           page.get("consumed_capacity"))  # fmt: skip
    return problems


def _check_paging(case: Case, out: ReadOutcome, doc: dict[str, Any]) -> list[str]:
    oracle = out.oracle
    problems = []
    lek = doc.get("last_evaluated_key")
    if case.limit is None:
        # the same requests as DynamoDB's own paging: pages, counts and the last key must match exactly
        if case.op != "execute_statement" and doc.get("scanned_count") != Decimal(oracle.scanned_count):
            # (ExecuteStatement reports no ScannedCount)
            problems.append(
                f"scanned_count: ddbtui {doc.get('scanned_count')}, DynamoDB {oracle.scanned_count}"
            )
        pages = doc.get("pages") or []
        want: list[Any] = [(p.count, p.scanned_count) for p in oracle.pages]
        got: list[Any] = [(int(p.get("count", -1)), int(p.get("scanned_count", -1))) for p in pages]
        if case.op == "execute_statement":
            want, got = [w[0] for w in want], [g[0] for g in got]
        if case.segments:
            # parallel segments answer in whatever order they finish (ddbtui prints pages as they arrive;
            # the oracle reads segment after segment): the same pages, in any order
            want, got = sorted(want), sorted(got)
        if want != got:
            problems.append(diff("pages (count, scanned_count)", want, got))
        if case.op == "execute_statement" or case.segments:
            if bool(lek) != bool(oracle.last_key):
                problems.append(
                    f"last_evaluated_key: ddbtui {lek!r}, DynamoDB {'a key' if oracle.last_key else None}"
                )
        elif _key_plain(lek, oracle.last_key) != (oracle.last_key and plain_item_expected(oracle.last_key)):
            problems.append(diff("last_evaluated_key", oracle.last_key and plain_item_expected(oracle.last_key),
                                 _key_plain(lek, oracle.last_key)))  # fmt: skip
        return problems
    # --limit: ddbtui may ask for smaller pages; the items, the count and where to go on from must match
    full = oracle.full or []
    more = len(full) > case.limit
    last = oracle.items[-1] if oracle.items else None
    last_key = {k: last[k] for k in key_names(case) if k in last} if last else None
    if case.op == "execute_statement":
        # PartiQL rows carry no key, and a NextToken is exact only at a page's end: a --limit that cuts a
        # page has no point to go on from. ddbtui must then say so (tests/aws/test_start_key.py pins the
        # words), never call the result complete nor print a token that would skip the rows cut off.
        said = "more available" in out.cli.stderr and "no resume point" in out.cli.stderr
        if more and not lek and not said:
            problems.append("ddbtui stopped at --limit with more items to read, and printed no key to go on from "
                            "nor said there is no resume point")  # fmt: skip
        if lek and "no resume point" in out.cli.stderr:
            problems.append(f"ddbtui printed a token ({str(lek)[:40]}…) and said there is no resume point")
    elif more and _key_plain(lek, last_key) != plain_item_expected(last_key or {}):
        problems.append(diff("last_evaluated_key (the key of the last item returned)",
                             plain_item_expected(last_key or {}), _key_plain(lek, last_key)))  # fmt: skip
    elif not more and lek and last_key and _key_plain(lek, last_key) != plain_item_expected(last_key):
        problems.append(diff("last_evaluated_key", plain_item_expected(last_key), _key_plain(lek, last_key)))
    if case.resume and more:
        if out.resume is None:
            problems.append("no last_evaluated_key to go on from")
        elif out.resume.returncode != 0:
            problems.append(f"going on with --start-key failed\n{out.resume.describe()}")
        else:
            rest = (out.resume.doc() or {}).get("items") or []
            actual, expected = match_items(rest, full[len(oracle.items) :], _ordered(case))
            if actual != expected:
                problems.append(
                    diff("items after --start-key (the rest of DynamoDB's result)", expected, actual)
                )
    return problems


def _image_problems(label: str, record: dict[str, Any], field: str, want: dict[str, Any] | None) -> list[str]:
    got = typed_item(item_from_ddb_json(record.get(field)))
    return (
        [] if got == typed_item(want) else [diff(f"journal {label} image ({field})", typed_item(want), got)]
    )


def check_write(out: WriteOutcome) -> list[str]:
    case, proc = out.case, out.cli
    check_case_table(case, out.oracle_error)
    if out.oracle_error is not None:
        problems = check_error(case, out.oracle_error, proc)
        if typed_item(out.stored_cli) != typed_item(out.before):
            problems.append(diff("the item (DynamoDB refused the request, so it must be unchanged)",
                                 typed_item(out.before), typed_item(out.stored_cli)))  # fmt: skip
        if out.journal:
            problems.append(f"ddbtui journaled a write DynamoDB refuses: {out.journal[-1].get('operation')}")
        doc = proc.doc()
        if (
            out.oracle_error[0] == "ConditionalCheckFailedException"
            and isinstance(doc, dict)
            and "current" in doc
        ):
            current = doc["current"]
            want = out.before and plain_item_expected(out.before)
            if (current and plain_item_actual(current, out.before)) != want:
                problems.append(diff("the current item ddbtui shows on the conflict", want, current))
        return problems
    if proc.returncode != 0:
        return [f"ddbtui failed where DynamoDB wrote\n{proc.describe()}"]
    problems = []
    if "Traceback" in proc.stderr:
        problems.append(f"a traceback on stderr\n{proc.describe()}")
    if typed_item(out.stored_cli) != typed_item(out.stored_ref):
        problems.append(
            diff("stored item after the write", typed_item(out.stored_ref), typed_item(out.stored_cli))
        )
    records = [r for r in out.journal if not r.get("undoes")]
    no_change = typed_item(out.before) == typed_item(out.stored_cli)
    if len(records) != 1 and not (no_change and not records):
        problems.append(f"journal: {len(records)} records for one write")
    for rec in records[-1:]:
        if rec.get("operation") != OPERATION[case.op]:
            problems.append(f"journal operation {rec.get('operation')!r}, want {OPERATION[case.op]!r}")
        problems += _image_problems("old", rec, "old", out.before)
        problems += _image_problems("new", rec, "new", out.stored_cli)
    doc = proc.doc()
    if not isinstance(doc, dict):
        problems.append(f"no JSON document on stdout: {proc.stdout[:300]!r}")
        return problems
    for field, want in (("old", out.before), ("new", out.stored_cli)):
        got = doc.get(field)
        exp = want and plain_item_expected(want)
        if (got and plain_item_actual(got, want)) != exp:
            problems.append(diff(f"printed {field} image", exp, got and plain_item_actual(got, want)))
    if case.compare_capacity:
        problems += check_capacity("consumed_capacity", out.oracle_capacity, doc.get("consumed_capacity"))
    return problems


def check_undo(out: WriteOutcome) -> list[str]:
    """After the write, ``ddbtui undo --allow-writes`` puts the item back exactly as it was (an item the
    write created is gone again, a deleted one is back)."""
    problems = []
    undo = out.undo
    if undo is None:
        return [
            f"the write failed (see its own test), so its undo could not be checked\n{out.cli.describe()}"
        ]
    if undo.returncode != 0:
        problems.append(f"undo failed\n{undo.describe()}")
    if typed_item(out.after_undo) != typed_item(out.before):
        problems.append(diff("the item after undo (must be the original)", typed_item(out.before),
                             typed_item(out.after_undo)))  # fmt: skip
    return problems
