"""kenshu plugin for the training in Japan for young Vietnamese local leaders (JICE, Meiji University)."""

__version__ = "0.1.0"
