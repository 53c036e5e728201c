"""Coverage: the stories of a library that report one event, from different providers (groups),
the headline and body features they are matched on (text), and the groups kept in the index
cache (cache)."""
