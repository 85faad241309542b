"""Dynamic DNS client for firewall distributions."""

__version__ = "1.0.0"
