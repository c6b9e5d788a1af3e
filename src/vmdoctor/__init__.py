"""vmdoctor: why VMware stopped working, and how to keep it from happening again."""

__version__ = "0.1.0"
