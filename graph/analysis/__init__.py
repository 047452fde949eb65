"""NetworkX analysis of the LDN knowledge graph."""
