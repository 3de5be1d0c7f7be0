"""`python -m atlas` is the `atlas` command."""

from .cli import main

raise SystemExit(main())
