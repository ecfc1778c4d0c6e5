"""Item delegates: how a table cell is edited in place."""
