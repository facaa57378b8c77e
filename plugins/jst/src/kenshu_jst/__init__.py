"""kenshu plugin for the Japan Study Tour (JST) of CLAIR's London office (JLGC)."""

__version__ = "0.1.0"
