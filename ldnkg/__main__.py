"""``python -m ldnkg`` runs the command line."""

from ldnkg.cli import main

main()
