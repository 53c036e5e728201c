"""The query language: parsed (parse), evaluated over stories (evaluate), its text rules (text),
and compiled once to filter a library (compiled)."""
