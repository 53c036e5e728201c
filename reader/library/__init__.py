"""Immutable snapshots of the loaded stories: topics, orders, link index, backlinks, search."""
