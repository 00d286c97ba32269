"""Cutover tests."""
