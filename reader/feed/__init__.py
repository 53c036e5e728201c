"""A folder on disk -> stories, by one front-matter path: `frontmatter` (the byte cutter) ->
`fastyaml` (the YAML reader: the plain subset, else the safe loader; the one unquoting) ->
`fields` (the field reader, which builds the Story) -> `parse` (a file's bytes -> ParseResult).
Around it: `files` (one file; related entries on demand), `walk`, `workers` (the parsing
processes), `cache` (the SQLite index cache), `load` (a whole folder) and `watch`."""
