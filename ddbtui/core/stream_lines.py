"""A stream record as one line: JSON (``ddbtui stream --format jsonl``) or a Rich ``Text`` (the terminal
and the workbench's stream screen). Every value from the table is escaped.

Pure: no boto3, no Textual (Rich's ``Text`` only, as ``core.formats``).
"""

from __future__ import annotations

from typing import Any

EVENT_STYLES = {"INSERT": "green", "MODIFY": "yellow", "REMOVE": "red"}


def _iso(when: Any) -> str | None:
    if when is None:
        return None
    from datetime import UTC

    return when.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def jsonl_line(ev: Any) -> str:
    """One record as a JSON object; items in plain JSON with exact numbers (as ``scan --format jsonl``)."""
    import json

    from ddbtui.core.values import item_to_plain_json

    d = ev.diff
    parts = [
        f'"event": {json.dumps(ev.event_name)}',
        f'"time": {json.dumps(_iso(ev.approximate_time))}',
        f'"keys": {item_to_plain_json(ev.keys)}',
        f'"added": {json.dumps(list(d.added), ensure_ascii=False)}',
        f'"removed": {json.dumps(list(d.removed), ensure_ascii=False)}',
        f'"changed": {json.dumps(list(d.changed), ensure_ascii=False)}',
        f'"old": {item_to_plain_json(ev.old) if ev.old is not None else "null"}',
        f'"new": {item_to_plain_json(ev.new) if ev.new is not None else "null"}',
        f'"ttl": {"true" if ev.by_ttl else "false"}',
        f'"sequence": {json.dumps(ev.sequence_number)}',
        f'"shard": {json.dumps(ev.shard_id)}',
    ]
    return "{" + ", ".join(parts) + "}"


def text_line(ev: Any, width: int = 24) -> Any:
    """One record as a Rich ``Text``: time, event, key, then what changed. Every value is escaped."""
    from rich.text import Text

    from ddbtui.core.values import display_av, safe_text

    t = Text(no_wrap=True, overflow="ellipsis")
    when = ev.approximate_time.astimezone().strftime("%H:%M:%S") if ev.approximate_time else "--:--:--"
    t.append(when, style="dim")
    t.append("  ")
    t.append(f"{ev.event_name:<6}", style=EVENT_STYLES.get(ev.event_name, "bold"))
    t.append("  ")
    t.append(" ".join(f"{safe_text(k)}={display_av(v, 40)}" for k, v in ev.keys.items()), style="bold")
    d = ev.diff
    if ev.old is None and ev.new is None:
        t.append("  (keys only)", style="dim")
    elif ev.event_name == "INSERT":
        names = [n for n in d.added if n not in ev.keys]
        shown = ", ".join(safe_text(n) for n in names[:6]) + (", …" if len(names) > 6 else "")
        t.append(f"  +{len(names)} attributes: {shown}" if names else "", style="green")
    elif ev.event_name == "REMOVE":
        if ev.by_ttl:
            t.append("  (expired: deleted by TTL)", style="dim")
    else:
        for name in d.changed:
            t.append("  ~", style="yellow")
            t.append(f"{safe_text(name)}: ")
            t.append(display_av(ev.old[name], width) if ev.old else "?")
            t.append(" → ", style="dim")
            t.append(display_av(ev.new[name], width) if ev.new else "?")
        for name in d.added:
            t.append(f"  +{safe_text(name)}", style="green")
            t.append(f"={display_av(ev.new[name], width)}" if ev.new else "")
        for name in d.removed:
            t.append(f"  -{safe_text(name)}", style="red")
        if not (d.changed or d.added or d.removed):
            t.append("  (no attribute changed)", style="dim")
    return t
