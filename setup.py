"""Packaging for ddns: the package, the `ddns` command and its data files."""

from setuptools import find_packages, setup

from ddns import __version__

setup(
    name="ddns",
    version=__version__,
    description="Dynamic DNS client for firewall distributions (IPFire first)",
    license="GPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_packages(include=["ddns", "ddns.*"]),
    include_package_data=True,
    install_requires=["requests", "configobj", "dnspython"],
    extras_require={"web": ["Jinja2"]},
    entry_points={"console_scripts": ["ddns = ddns.cli:main"]},
)
