"""``python -m vmdoctor``."""

from vmdoctor.cli.app import main

main()
