"""Allows ``python -m relapse_cli``."""

import sys

from relapse_cli.entry import main

sys.exit(main())
