"""The routine editor: a window to make, change, check, preview and save one's own routines."""
