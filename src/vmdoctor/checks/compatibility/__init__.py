"""Checks of the compatibility family (every module here is loaded by the registry)."""
