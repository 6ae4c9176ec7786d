"""The plain values every layer shares: articles, requests, results, facets, errors. No backend in here."""
