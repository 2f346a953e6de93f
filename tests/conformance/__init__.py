"""Conformance suite for the resync application (see conftest.py)."""
