"""Exporting records: Excel workbooks that come back as imports, CSV files, and the Summary sheet. No Qt here."""
