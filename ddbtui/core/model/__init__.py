"""Models of access patterns: a TOML file of entities (with key templates) and the access patterns a table
was built for; checked against a live table (``ddbtui model check``), drafted from one (``model init``),
and turned into a key design (``model design``).

Layout: ``templates`` (key templates), ``spec`` (the model's types), ``parse`` (the file, its mistakes
with line numbers), ``match`` (items against entities, parameters from a sample), ``check`` (a pattern's
verdict against a table's schema and a measured run), ``design`` (keys and indexes from the patterns),
``draft`` (a model file from a table's schema and sample).

Pure: no boto3, no Textual.
"""

from ddbtui.core.model.parse import load_model, parse_request
from ddbtui.core.model.spec import Entity, Model, ModelError, Pattern
from ddbtui.core.model.templates import Template, TemplateError

__all__ = [
    "Entity",
    "Model",
    "ModelError",
    "Pattern",
    "Template",
    "TemplateError",
    "load_model",
    "parse_request",
]
