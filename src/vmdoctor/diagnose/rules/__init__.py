"""Cause rules by area. :mod:`vmdoctor.diagnose.causes` assembles the catalogue."""
