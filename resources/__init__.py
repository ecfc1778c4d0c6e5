"""Files the app ships, such as the sample records; read with ``importlib.resources``."""
