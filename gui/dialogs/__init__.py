"""The window's dialogs: the record form, import, export, restore and the bulk changes."""
