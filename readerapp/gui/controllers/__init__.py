"""Controllers of the main window: each is handed the few collaborators it uses, never the window."""
