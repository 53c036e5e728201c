"""newsreader: a terminal reader for folders of news stories."""

# The one place the version is written (pyproject.toml reads it from here): importing
# importlib.metadata to look it up would cost 50 ms at every start.
__version__ = "0.1.0"
