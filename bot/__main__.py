"""`python -m bot` runs the command line (see bot/cli.py)."""

from bot.cli import main

raise SystemExit(main())
