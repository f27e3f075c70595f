"""The window's controllers: what the keys and menus do, each given only the parts it works
with (the task manager, the status area, the library, the paper list...) and telling the window
what changed through signals or callables, never through the window itself."""
