"""Frozen values of the reader's world: no I/O, no Textual, nothing else of ours."""
