"""The privileged end of "Update now": forced updates, results as JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from ddns import i18n
from ddns.ipfire import files, generate, helper, hosts
from ddns.ipfire.hosts import Host
from tests.ipfire.tree import ipfire_tree
from tests.loopback import LoopbackServer, Reply

ADDRESS = "192.0.2.55"


@pytest.fixture(autouse=True)
def _logging_as_before() -> Iterator[None]:
    # The helper sets up logging as the command does; later tests expect the
    # package logger as it was (level and handlers).
    logger = logging.getLogger("ddns")
    level, handlers = logger.level, list(logger.handlers)
    yield
    for handler in [h for h in logger.handlers if h not in handlers]:
        logger.removeHandler(handler)
        handler.close()
    logger.setLevel(level)


@pytest.fixture
def tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, http_server: LoopbackServer
) -> Iterator[LoopbackServer]:
    monkeypatch.setenv(files.ROOT_ENV, str(tmp_path))
    ipfire_tree(tmp_path, red_address=ADDRESS)
    listed = [
        Host(
            "dyndns2",
            name,
            True,
            {
                "url": f"{http_server.url}/nic/update",
                "username": name,
                "password": "pw",
            },
        )
        for name in ("a.example.net", "b.example.net")
    ]
    hosts.save(listed, files.rooted(files.HOSTS), files.rooted(files.EXTRA))
    generate.regenerate()
    yield http_server
    i18n.activate(None)


def answer(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    return dict(json.loads(capsys.readouterr().out))


def test_update_one_host_is_forced_and_reported(
    tree: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    tree.default = Reply(body=f"nochg {ADDRESS}")

    first = helper.main(["update", "a.example.net"])
    reported = answer(capsys)
    # Forced: a second run sends again although nothing changed.
    second = helper.main(["update", "a.example.net"])
    capsys.readouterr()

    assert (first, second) == (0, 0)
    assert [r.query["hostname"] for r in tree.requests] == ["a.example.net"] * 2
    assert reported["exit_status"] == 0
    (result,) = reported["results"]  # type: ignore[misc]
    assert result["hostname"] == "a.example.net"
    assert result["family"] == "ipv4"
    assert result["action"] == "updated"
    assert result["address"] == ADDRESS


def test_update_all_reports_each_host_and_failures(
    tree: LoopbackServer, capsys: pytest.CaptureFixture[str]
) -> None:
    tree.handler = lambda request: Reply(
        body="badauth" if request.query["hostname"] == "b.example.net" else "good"
    )

    status = helper.main(["update-all"])
    reported = answer(capsys)

    assert status == 1
    actions = {r["hostname"]: r["action"] for r in reported["results"]}  # type: ignore[attr-defined]
    assert actions == {"a.example.net": "updated", "b.example.net": "failed"}


@pytest.mark.parametrize(
    "argv",
    [
        ["update", "c.example.net"],
        ["update", "a.example.net; reboot"],
        ["update", "--config=/etc/shadow"],
    ],
)
def test_a_name_not_in_ddns_conf_sends_nothing(
    tree: LoopbackServer, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    status = helper.main(argv)
    reported = answer(capsys)

    assert status == 2
    assert reported["results"] == []
    assert "not an enabled host" in str(reported["error"])
    assert tree.requests == []


@pytest.mark.parametrize("argv", [[], ["update"], ["update-all", "x"], ["status"]])
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert helper.main(argv) == 2
    assert "usage:" in capsys.readouterr().err


def test_paths_in_ddns_conf_cannot_move_roots_files(
    tree: LoopbackServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ddns.conf belongs to nobody; root must not create files where it says.
    tree.default = Reply(body=f"good {ADDRESS}")
    conf = Path(files.rooted(files.DDNS_CONF))
    planted = tmp_path / "planted"
    kept = [
        line
        for line in conf.read_text().splitlines()
        if not line.startswith(("database", "red_address_file"))
    ]
    text = "\n".join(kept).replace(
        "[config]",
        f"[config]\ndatabase = {planted}/db\nlock_file = {planted}/lock\n"
        f"red_address_file = {planted}/red",
    )
    planted.mkdir()
    conf.write_text(text)

    status = helper.main(["update", "a.example.net"])
    capsys.readouterr()

    assert status == 0
    assert list(planted.iterdir()) == []
    assert Path(files.rooted(files.DATABASE)).exists()


@pytest.mark.parametrize(
    "code, expected",
    [("de", "de"), ("pt_BR", "pt_BR"), ("../../../tmp/evil", None), ("de/x", None)],
)
def test_only_plain_language_codes_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: str, expected: str | None
) -> None:
    monkeypatch.setenv(files.ROOT_ENV, str(tmp_path))
    ipfire_tree(tmp_path)
    (tmp_path / "var/ipfire/main/settings").write_text(f"LANGUAGE={code}\n")

    assert helper.language() == expected
