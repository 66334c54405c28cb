"""The PySide6 user interface: pages, widgets and the controllers that drive the engine."""
