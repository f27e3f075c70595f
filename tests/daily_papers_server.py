"""A stand-in for the Daily Papers service on 127.0.0.1: answers set per day, in the shape of
the real service's ``/api/daily_papers?date=YYYY-MM-DD``."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def item(arxiv_id: str, title: str | None, summary: str | None, authors: list[str],
         published: str = "2024-03-12T17:59:01.000Z", **extra: object) -> dict:  # fmt: skip
    """One entry of a day's list, with fields readerapp does not read, as the service has."""
    paper: dict[str, object] = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"a{n}", "name": name, "hidden": False} for n, name in enumerate(authors)
        ],
        "publishedAt": published,
        "upvotes": 12,
        "discussionId": "65f0c0ffee",
        **extra,
    }
    if title is not None:
        paper["title"] = title
    if summary is not None:
        paper["summary"] = summary
    return {"paper": paper, "publishedAt": published, "numComments": 2,
            "submittedBy": {"fullname": "AK"}, "isAuthorParticipating": False}  # fmt: skip


@dataclass
class Answer:
    """What the server answers once: a status, headers and a body; ``hang`` waits instead."""

    body: bytes | str | list = b"[]"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False


class DailyPapersServer:
    """Answers ``/api/daily_papers?date=D`` with the answers queued for D (the last one
    repeats); remembers every request's path and headers."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
                queued = server.answers.get(query.get("date", [""])[0]) or [Answer()]
                answer = queued.pop(0) if len(queued) > 1 else queued[0]
                if answer.hang:
                    server.release.wait(30)
                    return
                body = answer.body
                if isinstance(body, list):
                    body = json.dumps(body, ensure_ascii=False)
                if isinstance(body, str):
                    body = body.encode("utf-8")
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, day: str, *answers: Answer | list) -> None:
        self.answers[day] = [a if isinstance(a, Answer) else Answer(a) for a in answers]

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
