"""Test providers of every credential shape, registered for these tests only."""

from tests.ipfire.shapes import shapes

__all__ = ["shapes"]
