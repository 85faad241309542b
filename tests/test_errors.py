"""Errors kept in the history, shown again in the reader's language."""

from __future__ import annotations

from ddns.errors import stored_error


def test_the_kind_is_said_once_and_the_detail_kept() -> None:
    assert (
        stored_error("auth", "Authentication failed; check the credentials: badauth")
        == "Authentication failed; check the credentials: badauth"
    )
    assert stored_error(
        "server", "The provider's server reported an internal error"
    ) == ("The provider's server reported an internal error")


def test_a_text_of_another_shape_gets_its_kind_in_front() -> None:
    held = "not sent: the update of ipv4 was refused (x)"
    assert stored_error("config", held) == (
        f"The host's settings do not fit its provider: {held}"
    )


def test_an_unknown_kind_shows_the_text_as_stored() -> None:
    assert stored_error("gone", "something") == "something"
    assert stored_error(None, "something") == "something"
