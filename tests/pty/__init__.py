"""The reader as a whole process in a pseudo-terminal: how it ends, and what it keeps."""
