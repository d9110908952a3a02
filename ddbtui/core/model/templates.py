"""Key templates of a model file: ``CUSTOMER#{customer_id}``, ``ORDER#{created_at}#{order_id}``, ``PROFILE``.

A template is literal text and ``{field}`` slots. It matches a value when the value is the literal text
with each slot filled by a non-empty run of characters (a slot followed by a delimiter stops at the first
such delimiter; the last slot takes the rest). Matching gives the fields' values; ``render`` fills them in.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.-]*)\}")


class TemplateError(ValueError):
    """A template that cannot be read (an unclosed brace, two slots with nothing between them)."""


@dataclass(frozen=True)
class Template:
    """``parts``: literal strings and field names, alternating as they appear (``is_field`` tells which)."""

    text: str
    parts: tuple[tuple[str, bool], ...]  # (text or field name, is_field)

    @classmethod
    def parse(cls, text: str) -> Template:
        parts: list[tuple[str, bool]] = []
        pos = 0
        for m in _SLOT.finditer(text):
            if m.start() > pos:
                parts.append((text[pos : m.start()], False))
            elif parts and parts[-1][1]:
                raise TemplateError(f"{text!r}: two fields with nothing between them cannot be told apart")
            parts.append((m.group(1), True))
            pos = m.end()
        if pos < len(text):
            parts.append((text[pos:], False))
        for lit, is_field in parts:
            if not is_field and ("{" in lit or "}" in lit):
                raise TemplateError(f"{text!r}: a brace that does not enclose a field name ({{name}})")
        return cls(text, tuple(parts))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(p for p, f in self.parts if f)

    @property
    def constant(self) -> bool:
        return not self.fields

    @property
    def prefix(self) -> str:
        """The literal text before the first field (the whole text of a constant)."""
        out = ""
        for p, f in self.parts:
            if f:
                break
            out += p
        return out

    def _regex(self) -> re.Pattern[str]:
        out = []
        for i, (p, f) in enumerate(self.parts):
            if not f:
                out.append(re.escape(p))
                continue
            nxt = self.parts[i + 1][0] if i + 1 < len(self.parts) else None
            out.append(f"(?P<f{i}>[^{re.escape(nxt[0])}]+)" if nxt else f"(?P<f{i}>.+)")
        return re.compile("".join(out), re.DOTALL)

    def match(self, value: object) -> dict[str, str] | None:
        """The fields' values when ``value`` (a string) fits the template; None when it does not."""
        if not isinstance(value, str):
            if len(self.parts) == 1 and self.parts[0][1]:
                return {self.parts[0][0]: str(value)}  # a bare {field}: a number key is that field
            return None
        m = self._regex().fullmatch(value)
        if m is None:
            return None
        out: dict[str, str] = {}
        for i, (p, f) in enumerate(self.parts):
            if f:
                got = m.group(f"f{i}")
                if out.get(p, got) != got:
                    return None  # the same field twice with two values
                out[p] = got
        return out

    def could_start(self, prefix: str) -> bool:
        """True when some value of this template begins with ``prefix`` (``ORDER#2025`` for ``ORDER#{d}``)."""
        lit = self.prefix
        if self.constant:
            return lit.startswith(prefix)
        return lit.startswith(prefix) or prefix.startswith(lit)

    def fixed_by_prefix(self, prefix: str) -> tuple[list[str], str | None]:
        """The fields a ``begins_with(attr, prefix)`` fixes whole, and the field it cuts into (a range)."""
        whole: list[str] = []
        rest = prefix
        for p, f in self.parts:
            if not rest:
                return whole, None
            if not f:
                if rest.startswith(p):
                    rest = rest[len(p) :]
                    continue
                return whole, None
            # a field: it ends at the next literal's first character, when the prefix reaches it
            i = self.parts.index((p, f))
            nxt = self.parts[i + 1][0] if i + 1 < len(self.parts) else None
            if nxt and nxt[0] in rest:
                whole.append(p)
                rest = rest[rest.index(nxt[0]) :]
                continue
            return whole, p
        return whole, None

    def render(self, values: dict[str, object]) -> str:
        """The template with each field filled (``KeyError`` for a field not in ``values``)."""
        return "".join(str(values[p]) if f else p for p, f in self.parts)

    def render_partial(self, values: dict[str, object]) -> str:
        """The longest prefix that the given fields fill (stops before the first field not given)."""
        out = ""
        for p, f in self.parts:
            if f:
                if p not in values:
                    break
                out += str(values[p])
            else:
                out += p
        return out


def field_tag(field: str) -> str:
    """The type tag an attribute names in a key: ``customer_id`` → ``CUSTOMER``, ``UserId`` → ``USER``."""
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", field)
    name = re.sub(r"[_-]?(id|ID|Id)$", "", name) or name
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_").upper() or field.upper()
