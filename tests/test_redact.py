"""Secrets are masked in any text and any log record."""

from __future__ import annotations

import base64
import logging
import sys

from ddns.redact import (
    MASK,
    RedactingFilter,
    redact,
    register,
    register_basic_auth,
    visible,
)


def test_registered_secret_and_its_encoded_forms() -> None:
    register("p#ss w&rd")
    assert redact("a p#ss w&rd b") == f"a {MASK} b"
    assert redact("q=p%23ss%20w%26rd") == f"q={MASK}"
    assert redact("q=p%23ss+w%26rd") == f"q={MASK}"


def test_longer_secret_is_masked_whole() -> None:
    register("abc")
    register("abcdef")
    assert redact("x abcdef y") == f"x {MASK} y"


def test_too_short_values_are_not_registered() -> None:
    register("ab")
    register("")
    register(None)
    assert redact("ab cd") == "ab cd"


def test_secret_query_parameters_whatever_their_value() -> None:
    text = "https://x.example/u?hostname=h.example.com&token=t0k&Password=pw&myip=1"
    assert redact(text) == (
        f"https://x.example/u?hostname=h.example.com&token={MASK}&Password={MASK}&myip=1"
    )


def test_basic_auth_header_value() -> None:
    register_basic_auth("alice", "pw-1")
    header = base64.b64encode(b"alice:pw-1").decode()
    assert redact(f"Authorization: Basic {header}") == f"Authorization: Basic {MASK}"


def test_filter_masks_arguments_and_tracebacks() -> None:
    register("s3cret-value")
    record = logging.LogRecord(
        "ddns", logging.DEBUG, __file__, 1, "send: password=%s", ("s3cret-value",), None
    )
    try:
        raise ValueError("failed with s3cret-value")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record)
    formatted = logging.Formatter().format(record)
    assert "s3cret-value" not in formatted
    assert f"send: password={MASK}" in formatted
    assert f"ValueError: failed with {MASK}" in formatted


def test_control_characters_become_visible_escapes() -> None:
    text = (
        "<script>alert(1)</script>\x1b[31mRED \x00\x01\x1f\x7f \x85\x9b "
        "line\u2028para\u2029 \u202etxt.exe\u202c \u2066iso\u2069 \u200e\u200f\u061c"
    )
    assert visible(text) == (
        "<script>alert(1)</script>\\x1b[31mRED \\x00\\x01\\x1f\\x7f \\x85\\x9b "
        "line\\u2028para\\u2029 \\u202etxt.exe\\u202c \\u2066iso\\u2069 "
        "\\u200e\\u200f\\u061c"
    )


def test_printable_text_is_left_alone() -> None:
    text = 'Grüße, 東京 — OK: 192.0.2.1 \\x1b {"a": [1]}'
    assert visible(text) == text


def test_a_log_record_cannot_carry_a_control_character() -> None:
    record = logging.LogRecord(
        "ddns", logging.ERROR, __file__, 1, "answer: %s", ("bad\x1b[2J\nforged",), None
    )
    RedactingFilter().filter(record)
    assert record.getMessage() == "answer: bad\\x1b[2J\\x0aforged"
