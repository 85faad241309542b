"""`python -m ddns`: the same as the `ddns` command."""

from ddns.cli import main

raise SystemExit(main())
