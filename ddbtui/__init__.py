"""ddbtui: a terminal workbench for Amazon DynamoDB."""

__version__ = "0.1.0"
