"""The kenshu command line (``kenshu.cli``)."""
