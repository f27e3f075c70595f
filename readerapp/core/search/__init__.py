"""Full-text search: the one way the rest of readerapp reaches the index.

The names below are the whole public surface; everything else in this package is private to it
and may change with Whoosh or with how searches are made fast:

- `TextIndex`: the protocol of what the core asks of an index (the collection, For you,
  related papers, the doctor, the index job, the command line), and `SearchIndex`, its Whoosh
  implementation, which the collection makes (constructed from the index's folder).
- `Highlight` and `NO_HIGHLIGHT`: what a search matched, to mark in the papers it found.
- `Cancelled`: raised inside long index work the user cancelled.
- `INDEX_VERSION`: the version of the index's layout; an index of another is rebuilt.
- `WORKER_BATCH`: how many papers a worker process indexes in one commit, the unit the index
  job hands work in.
- `analyzer`: the analyzer of the text fields, for splitting text into the index's words
  (stems) outside it.

Private modules: `index` (the Whoosh index), `matching` (searches answered from Whoosh's
postings, the fast layer), `quick_writing` (the index written in Whoosh's format, quicker),
`word_forms` (accents, the forms of words as written), `highlights`, `filelock`, `protocol`.
No module outside this package imports `whoosh` or them (tests/core/test_search_seam.py
checks, and lists the tests and benchmarks that measure the insides on purpose); the
contract with Whoosh that they rely on is in docs/architecture.md.
"""

from readerapp.core.search.highlights import NO_HIGHLIGHT, Highlight
from readerapp.core.search.index import (
    INDEX_VERSION,
    WORKER_BATCH,
    Cancelled,
    SearchIndex,
    analyzer,
)
from readerapp.core.search.protocol import TextIndex

__all__ = [
    "INDEX_VERSION",
    "NO_HIGHLIGHT",
    "WORKER_BATCH",
    "Cancelled",
    "Highlight",
    "SearchIndex",
    "TextIndex",
    "analyzer",
]
