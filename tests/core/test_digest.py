"""The digest parser: the real digests, messy copies of them, and files that are not digests."""

from __future__ import annotations

import codecs
import os
import tracemalloc
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readerapp.core.digest import find_links, infer_year, parse_digest_bytes, parse_digest_file
from readerapp.core.errors import DigestError
from readerapp.core.models import ParsedDigest, digest_key

REPO = Path(__file__).parents[2]
REAL_DIGESTS = REPO.parent / "shared" / "digests"
MTIME = datetime(2025, 6, 1, 12, 0)
HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
    "byAK and the research community\n\n"
)

TITLE_A = "Local Augmentation for Graph Neural Networks"
ABSTRACT_A = (
    "Graph Neural Networks (GNNs) have achieved remarkable performance on graph-based tasks. "
    "We propose local augmentation. Code is available at https://github.com/SongtaoLiu0823/LAGNN."
)
TITLE_B = "Café “Naïve” Résumé: Diffusion for Everyone"
ABSTRACT_B = "We rank résumés with “soft” labels. It works. See https://github.com/a/b.git."
TITLE_C = "FedSpeed: Larger Local Interval"
ABSTRACT_C = "Federated learning is slow. We make it faster. Our code is at https://x.org/fed."

ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: text.encode("utf-8-sig"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "cp1252": lambda text: text.encode("cp1252"),
}
LINE_ENDINGS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


def parse_text(text: str, **options: int) -> ParsedDigest:
    return parse_digest_bytes(text.encode(), source=Path("digest.txt"), mtime=MTIME, **options)


def write_file(tmp_path: Path, content: bytes, name: str = "digest.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return path


def titles(digest: ParsedDigest) -> list[str]:
    return [paper.title for paper in digest.papers]


def abstracts(digest: ParsedDigest) -> list[str]:
    return [paper.abstract for paper in digest.papers]


# Digests in the real layout: the repository's own, and the real ones when beside the clone --

OWN_DIGESTS = REPO / "tests" / "data" / "digests"
OWN = [
    (
        "mar-13.txt",
        11,
        "Federated Averaging with Drifting Clients",
        "Mar 13",
        "https://github.com/fedlab-demo/drift-avg",
    ),
    (
        "mar-14.txt",
        10,
        "Guidance-Free Text-to-Image Diffusion",
        "Mar 14",
        "https://github.com/nogd/guidance-free",
    ),
    (
        "mar-17.txt",
        13,
        "Communication-Efficient Federated Learning with Sparse Updates",
        "Mar 17",
        "https://github.com/sparse-fl/topk-fl.git",
    ),
]
REAL = [
    (
        "000_30f6b14eb7589737.txt",
        80,
        "FedSpeed: Larger Local Interval, Less Communication Round, and Higher "
        "Generalization Accuracy",
        "Mar 17",
        "https://github.com/woodenchild95/FL-Simulator.git",
    ),
    (
        "001_e9aa064cbaa62d28.txt",
        48,
        "GridPull: Towards Scalability in Learning Implicit Representations from 3D Point Clouds",
        "Mar 21",
        "https://github.com/chenchao15/GridPull",
    ),
    (
        "002_5649ffb151ced296.txt",
        78,
        "Local Augmentation for Graph Neural Networks",
        "Mar 13",
        "https://github.com/SongtaoLiu0823/LAGNN",
    ),
]


def real_digest(name: str) -> Path:
    """The digest ``name``: one of the repository's, or a real one (only named when here)."""
    own = OWN_DIGESTS / name
    return own if own.is_file() else REAL_DIGESTS / name


def present(cases: list[tuple]) -> list[tuple]:
    """The repository's cases, and those of the real digests that are beside the clone."""
    return [case for case in cases if real_digest(case[0]).is_file()]


@pytest.mark.parametrize(
    ("name", "count", "first_title", "date_text", "first_link"), OWN + present(REAL)
)
def test_real_digest(name: str, count: int, first_title: str, date_text: str, first_link: str):
    path = real_digest(name)
    digest = parse_digest_file(path)

    assert len(digest.papers) == count
    assert digest.papers[0].title == first_title
    assert digest.papers[0].links == (first_link,)
    assert all(paper.abstract for paper in digest.papers)
    assert digest.warnings == ()
    assert digest.date_text == date_text
    assert digest.content_key == digest_key(date_text, [paper.id for paper in digest.papers])
    modified = date.fromtimestamp(path.stat().st_mtime)
    assert digest.date is not None
    assert (digest.date.month, digest.date.day) == (3, int(date_text.split()[1]))
    assert digest.date <= modified < digest.date.replace(year=digest.date.year + 1)


@pytest.mark.parametrize(
    ("name", "day"), [("mar-17.txt", 17), *present([("001_e9aa064cbaa62d28.txt", 21)])]
)
def test_real_digest_year_comes_from_the_modification_time(name: str, day: int):
    data = real_digest(name).read_bytes()  # "Mar {day}"

    def parsed_date(mtime: datetime) -> date | None:
        return parse_digest_bytes(data, source=Path("d.txt"), mtime=mtime).date

    assert parsed_date(datetime(2025, 3, day, 0, 0)) == date(2025, 3, day)
    assert parsed_date(datetime(2025, 3, day - 1, 23, 59)) == date(2024, 3, day)


@pytest.mark.parametrize(
    ("name", "project", "link"),
    [
        ("mar-17.txt", "MusicCodec", "https://musiccodec-demo.github.io/MusicCodec/"),
        *present(
            [
                (
                    "002_5649ffb151ced296.txt",
                    "SVGFusion",
                    "https://ximinng.github.io/SVGFusionProject/",
                )
            ]
        ),
    ],
)
def test_real_digest_link_wrapped_in_braces_is_found_once(name: str, project: str, link: str):
    digest = parse_digest_file(real_digest(name))
    links = [found for paper in digest.papers for found in paper.links if project in found]
    assert links == [link]


# Encodings and line endings ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("line_ending", LINE_ENDINGS)
def test_encodings_and_line_endings(tmp_path: Path, encoding: str, line_ending: str):
    text = HEADER + f"Mar 13\n\n{TITLE_A}\n\n{ABSTRACT_A}\n\n{TITLE_B}\n\n{ABSTRACT_B}\n"
    data = ENCODINGS[encoding](text.replace("\n", LINE_ENDINGS[line_ending]))
    digest = parse_digest_file(write_file(tmp_path, data))

    assert titles(digest) == [TITLE_A, TITLE_B]
    assert abstracts(digest) == [ABSTRACT_A, ABSTRACT_B]
    assert digest.papers[1].links == ("https://github.com/a/b.git",)
    assert digest.date == date(2025, 3, 13)
    assert digest.content_key == parse_text(text).content_key  # the same digest as in UTF-8


def test_legacy_cp1252_curly_quotes_and_accents():
    data = b"Mar 13\n\nThe \x93Caf\xe9\x94 Paper\n\nWe study caf\xe9s. It \x93works\x94.\n"
    digest = parse_digest_bytes(data, source=Path("d.txt"), mtime=MTIME)
    assert titles(digest) == ["The “Café” Paper"]
    assert abstracts(digest) == ["We study cafés. It “works”."]


# Messy layouts ----------------------------------------------------------------------------


def test_missing_header_with_date():
    digest = parse_text(f"Mar 13\n\n{TITLE_A}\n\n{ABSTRACT_A}\n")
    assert (digest.date_text, titles(digest)) == ("Mar 13", [TITLE_A])


def test_missing_header_and_date():
    digest = parse_text(f"{TITLE_A}\n\n{ABSTRACT_A}\n\n{TITLE_B}\n\n{ABSTRACT_B}")
    assert (digest.date_text, digest.date) == (None, None)
    assert titles(digest) == [TITLE_A, TITLE_B]


def test_missing_date_line_after_header():
    digest = parse_text(HEADER + f"Daily Papers\n\n{TITLE_A}\n\n{ABSTRACT_A}\n")
    assert (digest.date_text, digest.date) == (None, None)
    assert titles(digest) == [TITLE_A]


def test_full_month_name_and_feb_29():
    assert parse_text(f"March 13\n\n{TITLE_A}\n\n{ABSTRACT_A}").date_text == "March 13"
    digest = parse_text(f"Feb 29\n\n{TITLE_A}\n\n{ABSTRACT_A}")
    assert digest.date == date(2024, 2, 29)


def test_extra_blank_lines_trailing_spaces_tabs_and_wrapped_paragraphs():
    text = (
        "\n\n  new  \n\n\n\tSubscribe\t\n \n Mar 13 \t\n\n\n\n"
        "\tLocal   Augmentation\tfor Graph  \n   Neural Networks   \n\n \t \n\n"
        "Graph Neural Networks (GNNs) have achieved  \n"
        "\tremarkable performance on graph-based tasks.\t\n"
        "We propose local augmentation.   \n\n\n"
    )
    digest = parse_text(text)
    assert digest.date_text == "Mar 13"
    assert titles(digest) == [TITLE_A]
    assert abstracts(digest) == [
        "Graph Neural Networks (GNNs) have achieved remarkable performance on graph-based "
        "tasks. We propose local augmentation."
    ]


def test_last_title_without_abstract_is_kept_and_reported():
    digest = parse_text(f"Mar 13\n\n{TITLE_A}\n\n{ABSTRACT_A}\n\n{TITLE_B}\n")
    assert titles(digest) == [TITLE_A, TITLE_B]
    assert abstracts(digest) == [ABSTRACT_A, ""]
    assert len(digest.warnings) == 1
    assert TITLE_B in digest.warnings[0]
    assert "no abstract" in digest.warnings[0]


def test_title_without_abstract_in_the_middle_keeps_the_alternation():
    digest = parse_text(f"{TITLE_A}\n\n{TITLE_B}\n\n{ABSTRACT_B}\n\n{TITLE_C}\n\n{ABSTRACT_C}")
    assert titles(digest) == [TITLE_A, TITLE_B, TITLE_C]
    assert abstracts(digest) == ["", ABSTRACT_B, ABSTRACT_C]
    assert len(digest.warnings) == 1
    assert TITLE_A in digest.warnings[0]


def test_abstract_in_two_paragraphs_stays_one_abstract():
    second = "A second paragraph follows. It has sentences. It ends here."
    digest = parse_text(f"{TITLE_A}\n\n{ABSTRACT_A}\n\n{second}\n\n{TITLE_B}\n\n{ABSTRACT_B}")
    assert titles(digest) == [TITLE_A, TITLE_B]
    assert abstracts(digest) == [f"{ABSTRACT_A}\n\n{second}", ABSTRACT_B]


def test_abstract_with_no_title_at_the_start_is_skipped_and_reported():
    digest = parse_text(f"Mar 13\n\n{ABSTRACT_C}\n\n{TITLE_A}\n\n{ABSTRACT_A}")
    assert titles(digest) == [TITLE_A]
    assert len(digest.warnings) == 1
    assert "Federated learning is slow" in digest.warnings[0]


def test_very_long_title_candidate_is_taken_for_an_abstract():
    long_paragraph = "Word " * 100 + "without a period"
    digest = parse_text(
        f"{TITLE_A}\n\n{ABSTRACT_A}\n\n{long_paragraph}\n\n{TITLE_B}\n\n{ABSTRACT_B}"
    )
    assert titles(digest) == [TITLE_A, TITLE_B]
    assert digest.papers[0].abstract.endswith("without a period")


def test_page_furniture_is_skipped():
    text = (
        HEADER + "Daily Papers\n\nMar 13\n\n"
        f"{TITLE_A}\nSubmitted by akhaliq\n{ABSTRACT_A}\n\n"
        "Upvote\n42\n\n·\n\nPublished on Mar 13 · Submitted by AK\n\n"
        f"{TITLE_B}\n\nUpvote\n\n1,204\n\n{ABSTRACT_B}\n\n"
        "Daily Papers\n\n Published on Mar 12\n\n"
        f"{TITLE_C}\n·\n{ABSTRACT_C}\n\n17\n"
    )
    digest = parse_text(text)
    assert titles(digest) == [TITLE_A, TITLE_B, TITLE_C]
    assert abstracts(digest) == [ABSTRACT_A, ABSTRACT_B, ABSTRACT_C]
    assert digest.warnings == ()


def test_title_with_a_middle_dot_is_not_furniture():
    title = "3 · Ways to Scale Vision · Language Models"
    digest = parse_text(f"Mar 13\n\n{title}\n\n{ABSTRACT_A}\n")
    assert titles(digest) == [title]


# Not a digest -----------------------------------------------------------------------------

NOT_DIGESTS = {
    "empty": (b"", "empty"),
    "whitespace": (b" \n\t\r\n  \n", "empty"),
    "bom only": (codecs.BOM_UTF8, "empty"),
    "NUL bytes": (b"Mar 13\n\nTitle\x00\x00\x01\n", "binary"),
    "mostly control bytes": (bytes(range(1, 256)) * 8, "binary"),
    "utf-16 without text": (codecs.BOM_UTF16_LE + b"\x00\x00\x01\x00" * 10, "binary"),
    "html doctype": (b"\n  <!DOCTYPE html>\n<html><body>Mar 13</body></html>\n", "HTML"),
    "html tags": (b"<div><p>Title</p><p>Abstract</p></div>\n" * 10, "HTML"),
    "header only": (HEADER.encode() + b"Mar 13\n", "no papers"),
    "one line": (b"just a note to self\n", "no papers"),
    "titles only": (b"Mar 13\n\nA title\n", "no papers"),
}


@pytest.mark.parametrize("case", NOT_DIGESTS)
def test_not_a_digest(tmp_path: Path, case: str):
    data, reason = NOT_DIGESTS[case]
    path = write_file(tmp_path, data, name="downloaded-thing.txt")
    with pytest.raises(DigestError) as raised:
        parse_digest_file(path)
    assert reason in raised.value.reason
    assert "downloaded-thing.txt" in str(raised.value)


def test_html_reason_is_written_for_the_user():
    with pytest.raises(DigestError) as raised:
        parse_text("<!DOCTYPE html><html></html>")
    assert raised.value.reason == "this looks like a saved web page (HTML), not a digest text file"


def test_missing_file_is_a_digest_error(tmp_path: Path):
    with pytest.raises(DigestError) as raised:
        parse_digest_file(tmp_path / "gone.txt")
    assert "gone.txt" in str(raised.value)
    assert "cannot be read" in raised.value.reason


def test_absurd_line_is_refused():
    with pytest.raises(DigestError) as raised:
        parse_text(f"{TITLE_A}\n\n{'x' * 1_000_001}\n")
    assert raised.value.reason == "a line is longer than 1,000,000 characters"


def test_line_limit_is_configurable_and_counts_characters_not_line_endings():
    text = f"{TITLE_A}\r\n\r\n{ABSTRACT_A}\r\n"
    limit = len(ABSTRACT_A)
    assert titles(parse_text(text, max_line_chars=limit)) == [TITLE_A]
    with pytest.raises(DigestError, match="longer than"):
        parse_text(text, max_line_chars=limit - 1)


def test_large_file_parses_in_bounded_memory():
    abstract = "We study a problem at length. " * 80 + "Code: https://github.com/a/b."
    entries = [f"Paper number {index}: a title\n\n{abstract}\n\n" for index in range(5_000)]
    data = (HEADER + "Mar 13\n\n" + "".join(entries)).encode()
    del entries
    assert len(data) > 12_000_000  # the peak grows with the file: 50 MB are imported elsewhere

    tracemalloc.start()
    try:
        digest = parse_digest_bytes(data, source=Path("big.txt"), mtime=MTIME)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert len(digest.papers) == 5_000
    assert digest.papers[-1].title == "Paper number 4999: a title"
    assert peak < 3 * len(data)


def test_long_wrapped_paragraph_is_joined():
    abstract_lines = "\n".join(["word word word."] * 200_000)
    digest = parse_text(f"{TITLE_A}\n\n{abstract_lines}\n")
    assert len(digest.papers[0].abstract) == 200_000 * 16 - 1


# Links and dates --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("at https://github.com/a/b.git.", ("https://github.com/a/b.git",)),
        ("at https://github.com/a/b...", ("https://github.com/a/b",)),
        (
            "see https://x.org/a, https://x.org/b; https://x.org/a!",
            ("https://x.org/a", "https://x.org/b"),
        ),
        ("(see https://x.org/a).", ("https://x.org/a",)),
        ("see https://en.wikipedia.org/wiki/A_(b).", ("https://en.wikipedia.org/wiki/A_(b)",)),
        ("[https://x.org/a]", ("https://x.org/a",)),
        ("'https://x.org/a'?", ("https://x.org/a",)),
        ('"https://x.org/a":', ("https://x.org/a",)),
        ("“https://x.org/a”", ("https://x.org/a",)),
        ("<https://x.org/a>", ("https://x.org/a",)),
        ("http://vpg.cs.princeton.edu?", ("http://vpg.cs.princeton.edu",)),
        ("https://x.org/q?a=1&b=2#frag.", ("https://x.org/q?a=1&b=2#frag",)),
        ("ftp://x.org, mailto:a@b.org, https:// and https://.", ()),
        ("no links here", ()),
    ],
)
def test_find_links(text: str, links: tuple[str, ...]):
    assert find_links(text) == links


@pytest.mark.parametrize(
    ("month", "day", "reference", "expected"),
    [
        (3, 13, datetime(2025, 6, 1), date(2025, 3, 13)),
        (12, 31, datetime(2025, 6, 1), date(2024, 12, 31)),
        (6, 1, datetime(2025, 6, 1, 0, 0), date(2025, 6, 1)),
        (6, 2, datetime(2025, 6, 1, 23, 59), date(2024, 6, 2)),
        (2, 29, datetime(2025, 6, 1), date(2024, 2, 29)),
        (2, 29, datetime(2024, 2, 28), date(2020, 2, 29)),
        (2, 29, datetime(2104, 1, 1), date(2096, 2, 29)),
    ],
)
def test_infer_year(month: int, day: int, reference: datetime, expected: date):
    assert infer_year(month, day, reference) == expected


def test_infer_year_refuses_a_day_no_year_has():
    with pytest.raises(ValueError):
        infer_year(2, 30, MTIME)


# Properties -------------------------------------------------------------------------------

PIECES = [
    "new",
    "Subscribe",
    "Mar 13",
    "Feb 30",
    "Upvote",
    "42",
    "·",
    "Submitted by AK",
    TITLE_A,
    ABSTRACT_A,
    "https://x.org/a).",
    "<p>",
    "\t",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\x00",
    "\ufeff",
]
ANY_BYTES = st.one_of(
    st.binary(max_size=2048),
    st.text(max_size=500).map(lambda text: text.encode("utf-8")),
    st.lists(st.sampled_from(PIECES), max_size=40).map(lambda pieces: "".join(pieces).encode()),
    st.lists(st.sampled_from(PIECES), max_size=40).map(
        lambda pieces: codecs.BOM_UTF16_BE + "".join(pieces).encode("utf-16-be")
    ),
)


@settings(max_examples=200, deadline=None, database=None)
@given(data=ANY_BYTES, max_line_chars=st.integers(min_value=1, max_value=3000))
def test_any_bytes_give_a_digest_or_a_digest_error(data: bytes, max_line_chars: int):
    try:
        digest = parse_digest_bytes(
            data, source=Path("fuzz.txt"), mtime=MTIME, max_line_chars=max_line_chars
        )
    except DigestError as error:
        assert error.reason
        assert "fuzz.txt" in str(error)
    else:
        assert any(paper.abstract for paper in digest.papers)
        assert all(paper.title for paper in digest.papers)


# Letters only: with the curly quotes below, a cp1252 encoding is never valid UTF-8 by chance.
WORDS = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüöñçà", min_size=2, max_size=10
)
DATE_LINES = {"Mar 13": (3, 13), "March 1": (3, 1), "Dec 28": (12, 28), "Jun 1": (6, 1)}
SEPARATORS = [
    "\n\n",
    "\n\n\n\n",
    "\n \t\n\n",
    "\nUpvote\n42\n",
    "\n\nSubmitted by akhaliq\n\n",
    "\nPublished on Mar 13 · Submitted by AK\n",
    "\n·\n",
    "\n\nDaily Papers\n\n",
    "\n\nMar 14\n\n",
]


@st.composite
def abstract_tokens(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Words of an abstract, some quoted, some sentence ends, some links; and the links."""
    tokens: list[str] = []
    links: list[str] = []
    for word in draw(st.lists(WORDS, min_size=2, max_size=30)):
        style = draw(st.sampled_from(["plain", "plain", "plain", "quoted", "period", "link"]))
        if style == "quoted":
            tokens.append(f"“{word}”")
        elif style == "period":
            tokens.append(f"{word}.")
        elif style == "link":
            link = f"https://github.com/{word}/{word.lower()}"
            links.append(link)
            tokens.append(draw(st.sampled_from(["{}", "{}.", "({}).", "“{}”", "{};"])).format(link))
        else:
            tokens.append(word)
    return tokens, links


def wrapped(tokens: list[str], width: int, padding: str) -> str:
    """Tokens in lines of `width` (at least two per line), each line padded with white space."""
    lines = [tokens[start : start + width] for start in range(0, len(tokens), width)]
    if len(lines) > 1 and len(lines[-1]) < 2:
        lines[-2].extend(lines.pop())
    return "\n".join(padding + " ".join(line) + padding for line in lines)


@st.composite
def digests(draw: st.DrawFn) -> tuple[str, list[str], list[str], list[str], str | None]:
    """A well-formed digest text and the titles, abstracts, links and date text it holds."""
    text = HEADER if draw(st.booleans()) else ""
    date_text = draw(st.none() | st.sampled_from(sorted(DATE_LINES)))
    if date_text:
        text += date_text + "\n\n"
    paper_titles, paper_abstracts, links = [], [], []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        title_words = draw(st.lists(WORDS, min_size=2, max_size=8))
        tokens, paper_links = draw(abstract_tokens())
        spacing = draw(st.sampled_from([" ", "  ", "\t", " \t "]))
        padding = draw(st.sampled_from(["", " ", "\t", "  "]))
        if index:
            text += draw(st.sampled_from(SEPARATORS))
        text += spacing.join(title_words) + draw(st.sampled_from(SEPARATORS))
        text += wrapped(tokens, draw(st.integers(min_value=2, max_value=12)), padding)
        paper_titles.append(" ".join(title_words))
        paper_abstracts.append(" ".join(tokens))
        links.extend(dict.fromkeys(paper_links))
    return (
        text + draw(st.sampled_from(["", "\n", "\n\n\n"])),
        paper_titles,
        paper_abstracts,
        links,
        date_text,
    )


@settings(max_examples=200, deadline=None, database=None)
@given(
    digest=digests(),
    encoding=st.sampled_from(sorted(ENCODINGS)),
    line_ending=st.sampled_from(sorted(LINE_ENDINGS.values())),
)
def test_well_formed_digests_round_trip(
    digest: tuple[str, list[str], list[str], list[str], str | None],
    encoding: str,
    line_ending: str,
):
    text, expected_titles, expected_abstracts, expected_links, date_text = digest
    data = ENCODINGS[encoding](text.replace("\n", line_ending))
    parsed = parse_digest_bytes(data, source=Path("d.txt"), mtime=MTIME)

    assert titles(parsed) == expected_titles
    assert abstracts(parsed) == expected_abstracts
    found_links = [link for paper in parsed.papers for link in paper.links]
    assert found_links == expected_links
    assert parsed.warnings == ()
    assert parsed.date_text == date_text
    if date_text:
        month, day = DATE_LINES[date_text]
        expected_year = MTIME.year if (month, day) <= (MTIME.month, MTIME.day) else MTIME.year - 1
        assert parsed.date == date(expected_year, month, day)


# The digest's shape first ---------------------------------------------------------------

QUOTING_HTML = [
    (
        "Sanitising <script> Tags: Injection-Proof Rendering of <img src=x onerror=alert(1)>",
        'We study how <script>alert(1)</script> and <img src="a.png" alt="b"> slip '
        'through <div class="x"> sanitisers. Our parser keeps <b>bold</b>, <i>italic</i> '
        'and <a href="https://x.org">links</a> but drops <iframe> and <object>. '
        'It handles <svg><path d="M0"/></svg> and <table><tr><td>cells</td></tr></table>.',
    ),
    (
        "Markdown All the Way Down: **Bold** Claims, _Emphasis_ and `Code` in Titles",
        "# Not a heading\n- State: read\n- not a list\n> not a quote\n---\n"
        "We render **bold**, `inline code` and [links](https://x.org). It works.",
    ),
    (
        'def main(): return {"format": "json"} — Code as Abstract',
        "We parse `for (i = 0; i < n; i++) { a[i] = <T>b[i]; }` and `x => {y}` in "
        'abstracts. {"key": [1, 2]} is data. It <em>is</em> fine. Really <br/> fine.',
    ),
]


def digest_quoting(header: bool, date_line: bool) -> str:
    parts = [HEADER.rstrip("\n")] if header else []
    parts += ["Aug 7"] if date_line else []
    parts += [part for title, abstract in QUOTING_HTML for part in (title, abstract)]
    return "\n\n".join(parts) + "\n"


@pytest.mark.parametrize(("header", "date_line"), [(True, True), (True, False), (False, True)])
def test_abstracts_quoting_html_markdown_and_code_are_a_digest(header: bool, date_line: bool):
    text = digest_quoting(header, date_line)
    assert text.count("<") >= 20
    digest = parse_text(text)
    assert titles(digest) == [title for title, _ in QUOTING_HTML]
    assert digest.papers[0].abstract.startswith("We study how <script>alert(1)</script>")
    assert digest.papers[1].abstract.startswith("# Not a heading - State: read")


def test_a_headless_undated_digest_quoting_a_few_tags_is_a_digest():
    text = digest_quoting(header=False, date_line=False)
    padding = [(f"Paper {n} on Graphs", ABSTRACT_A) for n in range(30)]
    text += "\n\n".join(part for pair in padding for part in pair)
    assert len(parse_text(text).papers) == len(QUOTING_HTML) + 30


SAVED_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Daily Papers'
    '</title></head>\n<body><div class="SVELTE_HYDRATER">\n<h3>Mar 13</h3>\n'
    + "".join(
        f'<article><h3><a href="/papers/{n}">{TITLE_A} {n}</a></h3><p>{ABSTRACT_A}</p></article>\n'
        for n in range(10)
    )
    + "</div></body></html>\n"
)


@pytest.mark.parametrize(
    "page",
    [
        SAVED_PAGE,
        SAVED_PAGE.replace("<!DOCTYPE html>\n", ""),
        "<head><title>x</title></head>" + SAVED_PAGE.split("<body>", 1)[1],
        SAVED_PAGE.split("<body>", 1)[1],  # a fragment: tag soup without the digest's shape
    ],
    ids=["doctype", "html", "head", "tag soup"],
)
def test_a_saved_web_page_is_refused_with_its_reason(page: str):
    with pytest.raises(DigestError) as raised:
        parse_text(page)
    assert raised.value.reason == "this looks like a saved web page (HTML), not a digest text file"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "I copied this paragraph from an email. It talks about papers. It is not a digest.",
            "no papers found: this is a single paragraph, while a digest holds a title and an "
            "abstract for each paper, each a paragraph",
        ),
        (
            "https://arxiv.org/abs/2403.01234\nhttps://arxiv.org/abs/2403.05678\n\n"
            "- https://github.com/a/b\n- https://huggingface.co/papers/2403.09999\n",
            "no papers found: this is a list of links, while a digest holds a title and an "
            "abstract for each paper, each a paragraph",
        ),
        (
            "Mar 13\n\nhttps://arxiv.org/abs/1\n\nhttps://arxiv.org/abs/2\n",
            "no papers found: this is a list of links, while a digest holds a title and an "
            "abstract for each paper, each a paragraph",
        ),
    ],
    ids=["single paragraph", "links", "dated links"],
)
def test_text_that_is_no_digest_at_all_is_refused_with_a_clear_reason(text: str, reason: str):
    with pytest.raises(DigestError) as raised:
        parse_text(text)
    assert raised.value.reason == reason
