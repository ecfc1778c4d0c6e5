"""Qt item models: the record tables and the import's preview tables."""
