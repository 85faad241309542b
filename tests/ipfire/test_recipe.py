"""lfs/ddns: the recipe's install steps, run into a staging root, install its list.

A small stand-in for IPFire's make environment (a `Config` beside a copy of
the recipe, as in IPFire's lfs/ directory) points DIR_SRC and DIR_INFO at a
temporary tree and DESTDIR at a staging root; PREBUILD and POSTBUILD only
mark the start and the end. This repository's tree is copied to
$(DIR_SRC)/src/ddns, where IPFire's tree holds it (see the top of lfs/ddns).
What lands in the staging root must be exactly lfs/ddns.rootfile.

A new module changes the list: DDNS_UPDATE_ROOTFILE=1 python3 -m pytest
tests/ipfire/test_recipe.py rewrites lfs/ddns.rootfile from what was
installed (then read the diff).
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from ddns import __version__

TOP = Path(__file__).resolve().parents[2]
RECIPE = TOP / "lfs" / "ddns"
ROOTFILE = TOP / "lfs" / "ddns.rootfile"
# The rootfile names IPFire's Python; the staging root has this one's.
IPFIRE_PYTHON = "3.10"
_SKIP = shutil.ignore_patterns(
    ".git", "__pycache__", "build", "dist", "*.egg-info", ".mypy_cache", ".ruff_cache"
)

STAND_IN_CONFIG = """\
# Stand-in for IPFire's lfs/Config: only what lfs/ddns uses.
DIR_SRC  = {work}/src
DIR_INFO = {work}/info
DESTDIR  = {stage}
HELPER_GROUP = {group}
CFLAGS   = -O2
LDFLAGS  =
PREBUILD  = echo "==== building $(THISAPP)"
POSTBUILD = touch $(TARGET)
# IPFire's fetch commands: the recipe has nothing to fetch, so none may run.
LOAD  = echo "no downloads here: $@" && false
CHECK = echo "no checks here: $@" && false
B2SUM = echo "no b2sum here: $@" && false
"""


def make(work: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """Run the copy of the recipe in `work`/lfs, as IPFire's make.sh does."""
    # IPFire's build environment writes bytecode; this one may say not to.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return subprocess.run(
        ["make", "-f", "ddns", *targets],
        cwd=work / "lfs",
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def lfs_tree(work: Path) -> Path:
    """The recipe and the stand-in Config under `work`; the staging root."""
    stage = work / "stage"
    for name in ("src", "info", "stage", "lfs"):
        (work / name).mkdir()
    shutil.copy(RECIPE, work / "lfs" / "ddns")
    (work / "lfs" / "Config").write_text(
        STAND_IN_CONFIG.format(work=work, stage=stage, group=os.getgid())
    )
    return stage


def listing(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


class Build(NamedTuple):
    """The work tree after `make install`, and its src/src/ddns before it."""

    work: Path
    source_before: list[str]


def expected_entries() -> tuple[set[str], set[str]]:
    """The rootfile's shipped entries, and its commented ones, for this Python."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    tag = f"{sys.version_info.major}{sys.version_info.minor}"
    shipped, commented = set(), set()
    for line in ROOTFILE.read_text().splitlines():
        if not line.strip():
            continue
        entry = (
            line.replace(f"python{IPFIRE_PYTHON}", f"python{version}")
            .replace(f"py{IPFIRE_PYTHON}", f"py{version}")
            .replace(f"cpython-{IPFIRE_PYTHON.replace('.', '')}", f"cpython-{tag}")
        )
        if entry.startswith("#"):
            commented.add(entry[1:])
        else:
            shipped.add(entry)
    return shipped, commented


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    if shutil.which("make") is None or shutil.which("gcc") is None:
        pytest.fail("the recipe test needs make and gcc")
    work = tmp_path_factory.mktemp("lfs")
    stage = lfs_tree(work)
    source = work / "src" / "src" / "ddns"
    shutil.copytree(TOP, source, ignore=_SKIP)
    source_before = listing(source)

    finished = make(work, "install")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert (work / "info" / f"ddns-{__version__}").exists()
    if os.environ.get("DDNS_UPDATE_ROOTFILE") == "1":
        ROOTFILE.write_text("".join(f"{line}\n" for line in rootfile_lines(stage)))
    return Build(work, source_before)


@pytest.fixture(scope="module")
def staged(built: Build) -> Path:
    return built.work / "stage"


def rootfile_lines(stage: Path) -> list[str]:
    """The rootfile of what is in `stage`, in IPFire's Python's names."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    tag = f"{sys.version_info.major}{sys.version_info.minor}"
    lines = []
    for path in sorted(stage.rglob("*")):
        entry = (
            str(path.relative_to(stage))
            .replace(f"python{version}", f"python{IPFIRE_PYTHON}")
            .replace(f"py{version}", f"py{IPFIRE_PYTHON}")
            .replace(f"cpython-{tag}", f"cpython-{IPFIRE_PYTHON.replace('.', '')}")
        )
        lines.append(f"#{entry}" if path.is_dir() else entry)
    return lines


def installed(stage: Path) -> tuple[set[str], set[str]]:
    files, directories = set(), set()
    for path in stage.rglob("*"):
        relative = str(path.relative_to(stage))
        (directories if path.is_dir() else files).add(relative)
    return files, directories


def test_installed_files_are_the_rootfile(staged: Path) -> None:
    shipped, _ = expected_entries()
    files, _ = installed(staged)

    # On a difference, see the module's docstring for rewriting the list.
    assert sorted(files - shipped) == []
    assert sorted(shipped - files) == []


def test_directories_are_listed_commented_out(staged: Path) -> None:
    # As in IPFire's rootfiles: a listed directory would be packed with all
    # that other packages put in it.
    _, commented = expected_entries()
    _, directories = installed(staged)

    assert sorted(directories - commented) == []
    assert sorted(commented - directories) == []


def test_page_hook_and_helper_are_installed_runnable(staged: Path) -> None:
    helper = staged / "usr/local/bin/ddns-update-now"
    mode = helper.stat().st_mode

    assert stat.S_IMODE(mode) == 0o4750
    assert os.access(staged / "srv/web/ipfire/cgi-bin/ddns.cgi", os.X_OK)
    assert os.access(staged / "etc/rc.d/init.d/networking/red.up/30-ddns", os.X_OK)
    refused = subprocess.run(
        [helper, "update", "a;reboot"], capture_output=True, check=False
    )
    assert refused.returncode == 2


def test_translations_follow_linguas(staged: Path) -> None:
    languages = [
        line.strip()
        for line in (TOP / "po" / "LINGUAS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]

    for lang in languages:
        assert (staged / f"usr/share/locale/{lang}/LC_MESSAGES/ddns.mo").is_file(), lang


def test_templates_are_installed_with_the_package(staged: Path) -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    templates = staged / f"usr/lib/python{version}/site-packages/ddns/web/templates"

    assert sorted(p.name for p in templates.iterdir()) == [
        "ddns.css",
        "ddns.js",
        "page.html",
    ]


def test_build_leaves_the_source_in_ipfire_tree_untouched(built: Build) -> None:
    # IPFire's tree is a git checkout: the build works on a copy in DIR_APP
    # and removes the copy when done.
    source = built.work / "src" / "src" / "ddns"

    assert listing(source) == built.source_before
    assert sorted(p.name for p in (built.work / "src").iterdir()) == ["src"]


def test_fetch_targets_succeed_with_nothing_to_fetch(tmp_path: Path) -> None:
    # IPFire's make.sh runs `download` and `check` for every recipe before any
    # build, without the source and offline; a failure there stops the build.
    lfs_tree(tmp_path)
    before = listing(tmp_path)

    finished = make(tmp_path, "download", "check", "b2")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert listing(tmp_path) == before


def test_a_fresh_install_writes_no_ddns_conf(staged: Path) -> None:
    assert not (staged / "var/ipfire/ddns/ddns.conf").exists()


def test_an_upgrade_from_the_original_regenerates_ddns_conf(tmp_path: Path) -> None:
    # The original client's host list is in place before the install.
    stage = lfs_tree(tmp_path)
    shutil.copytree(TOP, tmp_path / "src" / "src" / "ddns", ignore=_SKIP)
    hosts = stage / "var/ipfire/ddns/config"
    hosts.parent.mkdir(parents=True)
    hosts.write_text("dyndns.org,home,example.net,,,alice,s3cret,on\n")

    finished = make(tmp_path, "install")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    conf = (stage / "var/ipfire/ddns/ddns.conf").read_text()
    assert "[home.example.net]" in conf
    assert "provider = dyndns.org" in conf
    assert hosts.read_text() == "dyndns.org,home,example.net,,,alice,s3cret,on\n"
