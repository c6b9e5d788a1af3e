"""Errors of live collection. Each ``str()`` is one line fit for the terminal, with no secret."""

from __future__ import annotations


class VSphereError(Exception):
    """Collection from one server failed as a whole (login, TLS, unreachable, ...)."""

    def __init__(self, server: str, problem: str) -> None:
        super().__init__(f"{server}: {problem}")
        self.server = server
        self.problem = problem


class VimFault(Exception):
    """A SOAP fault answered by the server (``fault_type`` is the vim fault class name)."""

    def __init__(
        self, fault_type: str, message: str, details: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{fault_type}: {message}" if message else fault_type)
        self.fault_type = fault_type
        self.message = message
        self.details = details or {}

    @property
    def is_not_authenticated(self) -> bool:
        return self.fault_type == "NotAuthenticated"


class CredentialsError(Exception):
    """Credentials could not be found or a credentials file is unsafe."""
