"""Checks of the resources family (every module here is loaded by the registry)."""
