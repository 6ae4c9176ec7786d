"""``python -m search`` is the same as the ``berita`` command."""

from search.cli import main

if __name__ == "__main__":
    main()
