"""Load, validate, reason over and project the LDN knowledge graph."""
