"""Controllers of the main window, each handed the few collaborators it uses, not the window."""
