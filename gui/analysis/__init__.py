"""The Analysis page's charts and the Reconciliation view."""
