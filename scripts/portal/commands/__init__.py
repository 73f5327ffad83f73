"""The command line (`python -m portal`, the Makefile's targets): cli.py lists every command."""
