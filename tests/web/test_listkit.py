"""The list kit: bounded query parameters, pages, links that keep the filters, safe CSV."""

from __future__ import annotations

import csv
import io

from starlette.requests import Request

from passerelle.kit import listkit


def _request(query: str, path: str = "/things") -> Request:
    return Request({"type": "http", "path": path, "query_string": query.encode(), "headers": []})


def test_query_parameters_are_read_bounded_and_kept_in_links() -> None:
    q = listkit.ListQuery.of(_request("q=dupont&kind=x&page=3&per_page=99999"), "kind", "state")
    assert (q.q, q.page, q.per_page, q.get("kind"), q.get("state")) == ("dupont", 3, 500, "x", "")
    assert q.url(page=4) == "/things?q=dupont&kind=x&per_page=500&page=4"
    assert q.csv_url() == "/things?q=dupont&kind=x&per_page=500&format=csv"
    weird = listkit.ListQuery.of(_request("page=-5&per_page=abc&q=" + "x" * 900), "kind")
    assert (weird.page, weird.per_page, len(weird.q)) == (1, listkit.PER_PAGE, 200)
    assert listkit.ListQuery.of(_request("format=csv")).wants_csv


def test_pages_cut_the_rows_and_say_where_they_are() -> None:
    rows = list(range(1, 121))
    query = listkit.ListQuery.of(_request("page=3&per_page=50"))
    page = listkit.paginate(rows, query)
    assert (page.rows[0], page.rows[-1], page.total, page.pages) == (101, 120, 120, 3)
    assert (page.first, page.last) == (101, 120)
    assert page.link(2) == "/things?page=2" and page.link(1) == "/things"  # 50 is the default
    beyond = listkit.paginate(rows, listkit.ListQuery.of(_request("page=99")))
    assert beyond.page == 3 and beyond.rows == rows[100:]
    empty = listkit.paginate([], query)
    assert (empty.total, empty.first, empty.last, empty.pages) == (0, 0, 0, 1)


def test_text_search_wants_every_word_in_any_field() -> None:
    assert listkit.text_matches("calais PORT", "Calais port", None)
    assert listkit.text_matches("", "anything")
    assert not listkit.text_matches("calais lille", "Calais port", "Dover")


def test_csv_export_neutralises_formulas() -> None:
    columns = (
        listkit.Column[dict[str, object]]("name", lambda r: r["name"]),
        listkit.Column[dict[str, object]]("score", lambda r: r["score"], numeric=True),
    )
    answer = listkit.csv_response(
        "x.csv", columns, [{"name": "=HYPERLINK(1)", "score": -0.5}, {"name": "Ana", "score": 1}]
    )
    assert answer.headers["content-disposition"] == 'attachment; filename="x.csv"'
    rows = list(csv.reader(io.StringIO(bytes(answer.body).decode())))
    assert rows == [["name", "score"], ["'=HYPERLINK(1)", "-0.5"], ["Ana", "1"]]
