"""kenshu plugin for CLAIR's Local Government Officials Training Programme (LGOTP)."""

__version__ = "0.1.0"
