"""portevoix: publish recorded debates as a podcast and static pages.

The package follows the data flow of a build:
source/ (read and validate) -> audio/ (process) -> media/ (tag) -> feed/ -> site/ (pages, writer) -> publish/.
"""

__version__ = "0.1.0"
