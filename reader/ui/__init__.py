"""Everything that imports Textual lives in this package."""
