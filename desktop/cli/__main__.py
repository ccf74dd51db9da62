"""``python -m desktop.cli``: the ``maquette`` command (what the tests and the installer run)."""

import sys

from desktop.cli import main

sys.exit(main())
