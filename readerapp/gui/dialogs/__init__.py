"""The dialogs of the main window, each a Designer form composed into a QDialog."""
