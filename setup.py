"""Packaging for ddns: the package, the `ddns` command and its catalogues.

The gettext catalogues in po/ are compiled to build/locale/ and installed to
<prefix>/share/locale/<lang>/LC_MESSAGES/ddns.mo, where ddns.i18n finds them.
"""

import os
import shutil
import subprocess

from setuptools import find_packages, setup

from ddns import __version__

HERE = os.path.dirname(os.path.abspath(__file__))


def compiled_catalogues() -> list[tuple[str, list[str]]]:
    """Compile every catalogue of po/LINGUAS; the data_files entries for them."""
    linguas = os.path.join(HERE, "po", "LINGUAS")
    if not os.path.exists(linguas):
        return []
    with open(linguas, encoding="utf-8") as f:
        languages = [
            line.strip() for line in f if line.strip() and not line.startswith("#")
        ]
    data_files = []
    for lang in languages:
        source = os.path.join(HERE, "po", f"{lang}.po")
        if not os.path.exists(source):
            continue
        target_dir = os.path.join("build", "locale", lang, "LC_MESSAGES")
        os.makedirs(os.path.join(HERE, target_dir), exist_ok=True)
        target = os.path.join(target_dir, "ddns.mo")
        compile_catalogue(source, os.path.join(HERE, target))
        data_files.append((f"share/locale/{lang}/LC_MESSAGES", [target]))
    return data_files


def compile_catalogue(source: str, target: str) -> None:
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "--check", "-o", target, source], check=True)
        return
    # Without GNU gettext, Babel (if present) compiles the same catalogue.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(source, "rb") as f:
        catalog = read_po(f)
    with open(target, "wb") as f:
        write_mo(f, catalog)


setup(
    name="ddns",
    version=__version__,
    description="Dynamic DNS client for firewall distributions (IPFire first)",
    license="GPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_packages(include=["ddns", "ddns.*"]),
    include_package_data=True,
    package_data={"ddns.web": ["templates/*"]},
    install_requires=["requests", "configobj", "dnspython"],
    extras_require={"web": ["Jinja2"]},
    entry_points={"console_scripts": ["ddns = ddns.cli:main"]},
    data_files=compiled_catalogues(),
)
