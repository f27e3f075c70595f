"""Qt item models of our own over the library: they hold ids and keys, never widgets."""
