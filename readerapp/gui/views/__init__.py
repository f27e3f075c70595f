"""The main window and the widgets and controllers it is made of."""
