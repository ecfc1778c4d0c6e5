"""Widgets of the forms and tables: field editors, the filter bar, a package's items."""
