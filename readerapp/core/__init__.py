"""The core of readerapp: parsing, the library, the search index and export. Never imports Qt."""
