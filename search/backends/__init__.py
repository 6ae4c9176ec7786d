"""The engine's backends: each implements :class:`search.engine.SearchEngine`."""
