"""The `kith` command: manage.py under the product's own name.

`kith serve`, `kith demo`, `kith import-oruk SOURCE`, `kith import-postcodes FILE` and every
other operator task are Django management commands; this wrapper maps the dashed names people
type onto them and picks the settings profile (local unless DJANGO_SETTINGS_MODULE says otherwise).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kith.config.settings.local")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["kith", *argv[1:]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
