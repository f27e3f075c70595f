"""``readerapp search --sort for-you`` on the command line: the core's order, or the message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import run_cli
from tests.core.test_for_you import star_five_graph_papers, three_topics  # noqa: F401


def core_order(data_dir: Path, query: str) -> list[str]:
    """The core's For you order of ``query``, asked in a process of its own, as the command
    line is."""
    script = (
        "import json, sys\nfrom pathlib import Path\n"
        "from readerapp.core.collection import Collection\n"
        "c = Collection(Path(sys.argv[1]))\n"
        "print(json.dumps(c.search(sys.argv[2], 'for-you').ids))\n"
        "c.close()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(data_dir), query],
                          capture_output=True, text=True, check=True, timeout=300)  # fmt: skip
    return json.loads(done.stdout)


def test_the_command_line_lists_the_core_order(three_topics, data_dir) -> None:  # noqa: F811
    collection, ids = three_topics
    star_five_graph_papers(collection, ids)
    collection.close()
    expected = {query: core_order(data_dir, query) for query in ("", "graph")}

    for query, ids_in_order in expected.items():
        done = run_cli(data_dir, "search", query, "--sort", "for-you", "--limit", "0", "--json")

        assert done.returncode == 0, done.stderr
        assert [row["id"] for row in json.loads(done.stdout)["results"]] == ids_in_order
    assert expected[""][:7] == [pid for pid in expected["graph"] if pid in ids["graph"][5:]]


def test_too_few_stars_says_what_to_do(three_topics, data_dir) -> None:  # noqa: F811
    collection, ids = three_topics
    collection.library.set_starred(ids["speech"][:2], True)
    collection.close()

    done = run_cli(data_dir, "search", "--sort", "for-you")

    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr == "readerapp: Star or tag a few papers to get suggestions\n"
