"""portevoix: publish recorded debates as a podcast and static pages.

The package follows the data flow of a build:
config/episodes (load and validate) -> audio -> tags -> feed -> pages -> writer (site/).
"""

__version__ = "0.1.0"
