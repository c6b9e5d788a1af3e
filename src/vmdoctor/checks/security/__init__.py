"""Checks of the security family (every module here is loaded by the registry)."""
