"""Entry point of the frozen application: the same ``maquette`` command as ``desktop.cli:main``."""

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
