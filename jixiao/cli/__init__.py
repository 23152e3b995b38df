"""The ``jixiao`` command line."""
