"""The shared hostile data corpus: values and attribute names a table may hold that must never act on a
terminal or a markup parser. Imported by CLI and TUI tests alike (items are AttributeValue dicts with the
partition key ``pk``; no sort key).

``UNSAFE`` lists the characters that must not reach a terminal raw; ``unsafe_in(text)`` finds them.
"""

from __future__ import annotations

import re
from typing import Any

MARKUP = "[@click=app.quit]click me[/]"
CLOSING = "[/x]"
LINK = "[link=https://x]link[/link]"
BOLD = "[bold red]BOLD[/]"
CLEAR = "\x1b[2J"
ANSI = "\x1b[2J\x1b[31mred\x1b[0m"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"  # writes "hello" to the clipboard
OSC8 = "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\"
C0 = "nul\x00bel\x07bs\x08vt\x0bff\x0ccr\rdel\x7f"
C1 = "\x9b31mC1\x9d0;title\x9c"  # 8-bit CSI, OSC and ST
BIDI = "abc\u202edcba\u2066x\u2069"
ZERO_WIDTH = "zero\u200bwidth\u200d\ufeff"
HUGE_NUMBER = "99999999999999999999999999999999999999"  # 38 digits
TINY_NUMBER = "-0.00000000000000000000000000000000000001"
PRECISE_NUMBER = "1.2345678901234567890123456789012345678"
BINARY = b"\x1b[2J\x00\xff\x9b\x1b]52;c;eA==\x07" * 4
LARGE = ("x" * 999 + "\x1b") * 399  # 399,000 characters: under 400 KB with the key and the name

STRINGS = {
    "markup": MARKUP,
    "closing": CLOSING,
    "link": LINK,
    "bold": BOLD,
    "ansi": ANSI,
    "osc52": OSC52,
    "osc8": OSC8,
    "c0": C0,
    "c1": C1,
    "bidi": BIDI,
    "zero_width": ZERO_WIDTH,
}

# attribute names carrying the same payloads (DynamoDB allows any UTF-8 name up to 64 KB)
HOSTILE_NAMES = [MARKUP, CLOSING, LINK, CLEAR + "name", OSC52, C1, BIDI, ZERO_WIDTH, "tab\tnew\nline"]


def nested(depth: int, leaf: str = "bottom " + CLOSING + CLEAR) -> dict[str, Any]:
    """A map ``depth`` levels deep (DynamoDB allows 32) with a hostile string at the bottom."""
    av: dict[str, Any] = {"S": leaf}
    for i in range(depth):
        av = {"M": {f"level{i}{CLOSING}": av}}
    return av


def items() -> list[dict[str, Any]]:
    """The corpus as items of a table keyed on ``pk`` (S)."""
    return [
        {"pk": {"S": "a-strings"}, **{k: {"S": v} for k, v in STRINGS.items()}},
        {"pk": {"S": "b-names"}, **{n: {"S": f"value of {i}"} for i, n in enumerate(HOSTILE_NAMES)}},
        {"pk": {"S": ANSI + MARKUP}, "why": {"S": "a hostile partition key"}},
        {"pk": {"S": "d-binary"}, "b": {"B": BINARY}, "bs": {"BS": [BINARY, b"\x9b\x1b"]}},
        {
            "pk": {"S": "e-deep"},
            "deep": nested(31),  # 31 maps + the leaf: DynamoDB's 32 levels
            "list": {"L": [{"S": OSC52}, {"NULL": True}, {"BOOL": True}, {"SS": [C1, BIDI]}]},
        },
        {
            "pk": {"S": "f-numbers"},
            "huge": {"N": HUGE_NUMBER},
            "neg": {"N": "-" + HUGE_NUMBER},
            "tiny": {"N": TINY_NUMBER},
            "precise": {"N": PRECISE_NUMBER},
            "ns": {"NS": [HUGE_NUMBER, "1", TINY_NUMBER]},
        },
        {"pk": {"S": "g-large"}, "large": {"S": LARGE}},
        {"pk": {"S": "h-mixed" + BIDI}, MARKUP + OSC52: {"M": {C1: {"S": ZERO_WIDTH + CLEAR}}}},
    ]


# bytes (as characters) that must not reach a terminal raw: ESC and the rest of C0 except \t \n \r,
# DEL, C1, and bidi controls
UNSAFE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def unsafe_in(text: str) -> list[str]:
    """The unsafe characters in ``text`` (empty when it is safe for a terminal)."""
    return sorted(set(UNSAFE_RE.findall(text)))
