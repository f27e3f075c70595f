"""Controllers: the window's behaviour, each given the parts it works on."""
