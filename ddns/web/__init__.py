"""The web page of IPFire's Services > Dynamic DNS (a WSGI application)."""

from __future__ import annotations

from ddns.web.app import application

__all__ = ["application"]
