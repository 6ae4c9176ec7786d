"""Cari Berita's search engine: read -> extract -> analyze -> index -> query.

Nothing here imports Flask; the web layer (``web/``) only presents what this package returns.
"""

__version__ = "0.1.0"
