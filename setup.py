"""The top-level resources/ folder (fonts with their licence, icons) is installed inside the package, as
khoi_desktop/resources, where khoi_desktop.resource_files finds it. Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RESOURCES = Path(__file__).resolve().parent / "resources"


class BuildWithResources(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads the checkout's resources/ in place
            shutil.copytree(RESOURCES, Path(self.build_lib) / "khoi_desktop" / "resources", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithResources})
