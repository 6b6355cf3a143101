"""Zhitu (知图): Chinese news into a knowledge graph."""
__version__ = "0.1.0"
