"""Pure-Python heart of Massage Guide: imports neither Qt nor pygame."""
