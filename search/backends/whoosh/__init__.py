"""The embedded Whoosh backend: schema, storage, posting arrays, evaluation, indexing."""
