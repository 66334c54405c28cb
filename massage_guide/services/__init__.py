"""Services that touch outside libraries: pygame audio and speech synthesis."""
