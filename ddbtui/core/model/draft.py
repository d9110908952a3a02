"""A first model file drafted from a live table: its schema and a sample of its items.

Entities come from the key values' prefixes, the ``TYPE#id`` convention: a key value is split at ``#``;
a segment of capital letters (``CUSTOMER``, ``PROFILE``) is literal text, anything else is a field, named
after the item's attribute that holds the same value (``CUSTOMER#0001`` and ``customerId = '0001'`` give
``CUSTOMER#{customerId}``) or else after the tag before it (``{customer_id}``). Items are grouped by the
first tags of the table's keys (or by their ``type`` attribute when they carry one), and each group gets
one template per key attribute, from its most common shape. Patterns: one per entity (a GetItem when its
sort key is constant, else a Query of its partition with ``begins_with`` on the sort key's prefix) and
one per index (a Query on the index's partition key).

``history``: the workbench's recent requests of the table (ReadRequests, newest first), each one a pattern
too ("from the history: …") when the model's request syntax can say it — requests with ``#name`` /
``:value`` placeholders of their own and PartiQL are left out, named in a comment.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from ddbtui.core.errors import DdbtuiError
from ddbtui.core.model.parse import parse_request
from ddbtui.core.requests import ReadRequest
from ddbtui.core.schema import TableSchema

Item = Mapping[str, Any]
_TAG = re.compile(r"^[A-Z][A-Z0-9_]*$")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _s(av: Any) -> str | None:
    if isinstance(av, Mapping) and len(av) == 1:
        ((k, v),) = av.items()
        if k in ("S", "N"):
            return str(v)
    return None


def _q(text: str) -> str:
    """A TOML basic string."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    out = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in out)
    return f'"{out}"'


def _key_name(name: str) -> str:
    return name if _NAME.match(name) else _q(name)


def _tags(value: str) -> list[str]:
    """The capital-letter segments a key value starts with (``CUSTOMER#0001`` → ``[CUSTOMER]``)."""
    out = []
    for seg in value.split("#"):
        if not _TAG.match(seg):
            break
        out.append(seg)
    return out


def _template(attr: str, rows: Sequence[tuple[str, Item]], own_key: bool = False) -> str | None:
    """One template for the values ``rows`` give ``attr`` (with their items): their most common number of
    ``#`` segments; a segment is literal when every value has the same capital-letter text there, else a
    field named after an attribute that holds the segment's value in every item (or after its tag). None
    for a bare ``{field}`` (it says nothing), unless ``own_key``: a key of the table keeps ``{attr}``."""
    split = [(v.split("#"), it) for v, it in rows]
    n = Counter(len(p) for p, _ in split).most_common(1)[0][0]
    split = [(p, it) for p, it in split if len(p) == n]
    out: list[str] = []
    last_tag = ""
    used: set[str] = set()
    for i in range(n):
        segs = {p[i] for p, _ in split}
        if len(segs) == 1 and _TAG.match(next(iter(segs))) and not (len(split) > 1 and i == n - 1 and i > 0):
            last_tag = next(iter(segs))
            out.append(last_tag)
            continue
        p0, it0 = split[0]
        names = [a for a, av in it0.items() if a != attr and _s(av) == p0[i] and a not in used]
        names = [a for a in names if all(_s(it.get(a)) == p[i] for p, it in split)]
        name = names[0] if names else f"{last_tag.lower()}_id" if last_tag else f"{attr}_{i + 1}"
        while name in used:
            name += "_"
        used.add(name)
        out.append("{" + name + "}")
    if len(out) == 1 and out[0].startswith("{"):
        # a plain value: the attribute itself for a key of the table (an entity needs its key), else nothing
        return "{" + attr + "}" if own_key else None
    return "#".join(out)


def _entity_name(tags: list[list[str]], type_value: str | None) -> str:
    if type_value:
        return re.sub(r"[^A-Za-z0-9_]", "_", type_value) or "entity"
    words: list[str] = []
    for t in tags:
        for w in t[:1]:
            if w.lower() not in words:
                words.append(w.lower())
    return "_".join(words) or "item"


def draft(
    schema: TableSchema,
    items: Sequence[Item],
    type_attribute: str = "type",
    history: Sequence[ReadRequest] = (),
) -> str:
    """The model file's text for ``schema``'s table, from ``items`` (AttributeValue form) and the
    workbench's ``history`` of requests on it."""
    key_attrs = list(schema.key.attributes)
    index_attrs = [a for ix in (*schema.lsis, *schema.gsis) for a in ix.key.attributes if a not in key_attrs]
    strings = [a for a in [*key_attrs, *index_attrs] if schema.attribute_types.get(a, "S") == "S"]
    groups: dict[str, dict[str, list[tuple[str, Item]]]] = defaultdict(lambda: defaultdict(list))
    counts: Counter[str] = Counter()
    types: dict[str, str | None] = {}
    for it in items:
        tv = _s(it.get(type_attribute))
        tags = [_tags(_s(it.get(a)) or "") for a in key_attrs]
        name = _entity_name(tags, tv)
        if name == "item":
            name = re.sub(r"[^A-Za-z0-9_]", "_", schema.name).lower() or "item"
        counts[name] += 1
        types[name] = tv
        for a in strings:
            v = _s(it.get(a))
            if v is not None:
                groups[name][a].append((v, it))
    lines = [
        f"# A model of {schema.name} drafted by `ddbtui model init` from {len(items):,} sampled items.",
        "# Check the templates and the patterns, set each pattern's rate (requests/s) and needs,",
        "# then prove it: ddbtui model check FILE",
        "",
        f"table = {_q(schema.name)}",
    ]
    if any(types.values()):
        lines.append(f"type_attribute = {_q(type_attribute)}")
    lines.append("")
    patterns: list[str] = []
    for name, _n in counts.most_common():
        lines.append(f"[entities.{_key_name(name)}]")
        lines.append(f"# {counts[name]:,} of the sampled items")
        if types.get(name):
            lines.append(f"type = {_q(types[name] or '')}")
        chosen: dict[str, str] = {}
        for a in strings:
            rows = groups[name].get(a)
            t = _template(a, rows, a in key_attrs) if rows else None
            if t is not None:
                chosen[a] = t
                lines.append(f"{_key_name(a)} = {_q(t)}")
        lines.append("")
        patterns.extend(_entity_pattern(schema, name, chosen))
    for ix in (*schema.lsis, *schema.gsis):
        pk = ix.key.partition_key
        param = re.sub(r"[^A-Za-z0-9_]", "_", pk)
        req = f'query {schema.name} index {ix.name} key "{pk} = :{param}" limit 25'
        patterns.append(_pattern(f"a partition of {ix.name}", req, None))
    patterns.extend(history_patterns(schema.name, history))
    lines.extend(patterns)
    return "\n".join(lines).rstrip() + "\n"


def _pattern(name: str, request: str, entity: str | None) -> str:
    out = ["[[patterns]]", f"name = {_q(name)}", f"request = {_q(request)}"]
    if entity:
        out.append(f"entity = {_q(entity)}")
    out.append("# rate = 1         # requests per second")
    out.append("# needs = []       # attributes the caller reads")
    return "\n".join(out) + "\n"


def _entity_pattern(schema: TableSchema, name: str, chosen: dict[str, str]) -> list[str]:
    pk, sk = schema.key.partition_key, schema.key.sort_key
    if pk not in chosen:
        return []
    param = re.sub(r"[^A-Za-z0-9_]", "_", pk)
    if sk is None:
        return [_pattern(f"a {name} by its key", f'get {schema.name} key "{pk} = :{param}"', name)]
    tmpl = chosen.get(sk)
    if tmpl is not None and "{" not in tmpl:
        lit = tmpl.replace("'", "''")
        req = f"get {schema.name} key \"{pk} = :{param} AND {sk} = '{lit}'\""
        return [_pattern(f"a {name} by its key", req, name)]
    prefix = tmpl.split("{", 1)[0] if tmpl else ""
    cond = f"{pk} = :{param}"
    if prefix:
        cond += f" AND begins_with({sk}, '{prefix.replace(chr(39), chr(39) * 2)}')"
    return [_pattern(f"the {name} items of a partition", f'query {schema.name} key "{cond}" limit 25', name)]


HISTORY_PATTERNS = 20  # the newest distinct requests of the history taken as patterns


def history_request(table: str, req: ReadRequest) -> str | None:
    """``req`` (from the workbench's history) in the model's request syntax, or None when it cannot be
    said there (PartiQL, its own placeholders, a GetItem key that is not a JSON object)."""
    if req.operation not in ("query", "scan", "get") or req.names or req.values:
        return None
    words = [req.operation, table]
    if req.index and req.operation != "get":
        words += ["index", req.index]
    key = req.key
    if req.operation == "get":
        key = _get_key_condition(req.key)
        if key is None:
            return None
    for word, text in (("key", key), ("filter", req.filter), ("project", req.projection)):
        if text:
            words += [word, shlex.quote(text) if "'" not in text else _double_quoted(text)]
    if req.descending and req.operation == "query":
        words.append("desc")
    if req.consistent:
        words.append("consistent")
    if req.limit:
        words += ["limit", str(req.limit)]
    text = " ".join(words)
    try:
        parse_request(text, table)
    except DdbtuiError:
        return None
    return text


def history_patterns(table: str, history: Sequence[ReadRequest]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    skipped = 0
    for req in history:
        text = history_request(table, req)
        if text is None:
            skipped += 1
            continue
        if text in seen:
            continue
        seen.add(text)
        out.append(_pattern(f"from the history: {req.operation} {len(seen)}", text, None))
        if len(seen) >= HISTORY_PATTERNS:
            break
    if skipped:
        out.append(f"# {skipped} request(s) of the history left out: PartiQL or their own placeholders\n")
    return out


def _get_key_condition(key: str | None) -> str | None:
    """A GetItem's JSON key (``{"pk": "C#1", "sk": 5}``) as ``pk = 'C#1' AND sk = 5``."""
    import json

    try:
        obj = json.loads(key or "")
    except ValueError:
        return None
    if not isinstance(obj, dict) or not obj:
        return None
    parts = []
    for name, value in obj.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return None
        literal = "'" + value.replace("'", "''") + "'" if isinstance(value, str) else str(value)
        parts.append(f"{name} = {literal}")
    return " AND ".join(parts)


def _double_quoted(text: str) -> str:
    """``text`` in shell double quotes, as ``shlex.split`` reads them back (only ``\\`` and ``"`` escape)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
