"""``python -m ictgate`` is the ``ictgate`` command."""

import sys

from ictgate.cli.main import main

sys.exit(main())
