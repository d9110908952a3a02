"""What a model file holds once read: the table, the entities and their key templates, the access patterns.

Pure: no boto3, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ddbtui.core.errors import UsageError
from ddbtui.core.model.templates import Template
from ddbtui.core.requests import ReadRequest


class ModelError(UsageError):
    """Every mistake of a model file, one line each: ``FILE:LINE: message``. Exit status 2."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}:{line}: {msg}" if line else f"{path}: {msg}" for line, msg in problems]
        n = len(problems)
        head = f"the model file has {n} mistake{'s' if n != 1 else ''}:" if n > 1 else ""
        super().__init__("\n".join([head, *lines]) if head else lines[0])


@dataclass(frozen=True)
class Entity:
    """One type of item: its key templates (attribute name → template), the value of the model's type
    attribute it carries (if any), its attributes and the ones that identify one item (for design)."""

    name: str
    templates: dict[str, Template]
    type_value: str | None = None
    attributes: tuple[str, ...] = ()
    identity: tuple[str, ...] = ()
    types: dict[str, str] = field(default_factory=dict)  # attribute -> S | N | B (design's key types)
    line: int | None = None

    def tag(self) -> str:
        return self.name.upper().replace("-", "_")

    def ids(self) -> tuple[str, ...]:
        """The attributes that identify one item: ``identity``, else ``<name>_id`` or ``<name>Id`` when
        it is an attribute, else the fields of its first two templates (its primary key's, as written),
        else the first attribute."""
        if self.identity:
            return self.identity
        for guess in (f"{self.name}_id", f"{self.name}Id", f"{self.name}ID"):
            if guess in self.attributes:
                return (guess,)
        fields = [f for t in list(self.templates.values())[:2] for f in t.fields]
        return tuple(dict.fromkeys(fields)) or self.attributes[:1]


@dataclass(frozen=True)
class Pattern:
    """One access pattern: the request (with ``:name`` parameters in its expressions), how often it runs,
    what the caller needs from each item, and (optional) the entity it reads."""

    name: str
    text: str  # the request as written
    request: ReadRequest
    params: tuple[str, ...] = ()  # ":name" placeholders, in order of appearance
    given: dict[str, Any] = field(default_factory=dict)  # ":name" -> value from the file
    rate: float | None = None
    needs: tuple[str, ...] = ()
    entity: str | None = None
    sort: str | None = None  # design: the attribute the results are ordered by
    line: int | None = None

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class Model:
    path: str
    table: str | None
    entities: dict[str, Entity]
    patterns: tuple[Pattern, ...]
    type_attribute: str = "type"

    def entity(self, name: str | None) -> Entity | None:
        return self.entities.get(name) if name else None
