"""The user guide shown by Help > User guide."""
