"""The desktop window: a Qt face on the core (STYLE.md sections 2 and 4 to 8)."""
