"""Analyst computations any backend can share: periods for charts, keyness for terms."""
