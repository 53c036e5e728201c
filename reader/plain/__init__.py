"""The plain reader (`newsreader --plain`): a line-oriented front end on standard input and
output, for screen readers, braille displays and pipes. It drives the same Session as the
full-screen reader and imports no Textual."""
