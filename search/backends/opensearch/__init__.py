"""The OpenSearch backend: an index on a cluster, for archives past one machine."""
