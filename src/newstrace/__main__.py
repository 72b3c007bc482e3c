"""`python -m newstrace` is the `newstrace` command."""

from .cli import main

main()
