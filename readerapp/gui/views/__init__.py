"""The main window and the widgets it is made of (their behaviour is in `gui/controllers`)."""
