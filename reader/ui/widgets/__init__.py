"""The reader's widgets: each draws what it is given and announces what the user does."""
