"""Entry script of the frozen app: the same main() as the `khoi-desktop` command."""

import multiprocessing
import sys

if __name__ == "__main__":
    # First: a child process the app spawns (the demo plans part of its copies in one) is this same executable
    # started again; freeze_support runs the child's work and exits, instead of starting the app.
    multiprocessing.freeze_support()
    from khoi_desktop.__main__ import main

    sys.exit(main())
