"""Checks of the configuration family (every module here is loaded by the registry)."""
