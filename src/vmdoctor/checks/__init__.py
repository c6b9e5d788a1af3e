"""Checks: small, pure, self-documenting functions over the Environment."""
