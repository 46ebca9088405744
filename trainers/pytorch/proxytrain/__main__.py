"""``python -m proxytrain``: the command line (see ``proxytrain.cli``)."""

from proxytrain.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
