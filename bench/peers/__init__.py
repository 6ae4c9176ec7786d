"""The engines ``bench.performance`` compares: ours and three reference points.

Each takes the same extracted articles and the same queries; see :mod:`bench.peers.base`.
"""
