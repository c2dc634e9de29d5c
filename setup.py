"""Only what pyproject.toml cannot say: the wheel carries the built-in templates.

The templates live in templates/ at the top of the repository (one source of truth, edited
there); a wheel puts a copy in pipeline/templates/, where pipeline/site/pages.py looks first.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTemplates(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:  # an editable install reads templates/ where it is
            shutil.copytree(Path(__file__).parent / "templates", Path(self.build_lib) / "pipeline" / "templates", dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithTemplates})
