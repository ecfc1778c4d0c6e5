"""The window: Qt widgets, models and dialogs over ``storage``, ``importers`` and ``exporters``."""
