"""skinlog: a private, local-first terminal journal for milia."""

__version__ = "0.1.0"
