"""A folder on disk -> stories: walking, the front-matter reader, parsing workers, the index
cache and watching."""
