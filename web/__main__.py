"""``python -m web`` is the same as the ``berita`` command."""

from web.cli import main

if __name__ == "__main__":
    main()
