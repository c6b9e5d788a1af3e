"""Checks of the storage family (every module here is loaded by the registry)."""
