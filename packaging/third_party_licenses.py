"""Write THIRD_PARTY_LICENSES.md: name, version and licence of every component Maquette carries.

    python packaging/third_party_licenses.py [OUTPUT]     (default: packaging/THIRD_PARTY_LICENSES.md)

Read from the installed distributions' metadata (see desktop/licenses.py); the PyInstaller spec
runs it at each build and bundles the result, which the About box shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def write(output: Path) -> Path:
    from desktop.licenses import markdown
    from layers import __version__

    output.write_text(markdown(__version__), encoding="utf-8")
    return output


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "packaging" / "THIRD_PARTY_LICENSES.md"
    print(write(target))
