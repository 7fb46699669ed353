"""``python -m khabar`` is the ``khabar`` command."""

from khabar.cli import main

main()
