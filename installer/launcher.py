"""Entry script of the frozen app: the same main() as the `khoi-desktop` command."""

import sys

from khoi_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
