"""Menus show only what the role may open: a crawl of every link, for each demo role, meets no
403 (issue #17: a crawl met 30 pages answering "your role does not allow this")."""

from __future__ import annotations

import re
from collections import deque

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import login

from passerelle import seed
from passerelle.node import Node
from passerelle.privacy import HUMAN_ROLES

#: Links that are not pages to open (files, the API's own docs, downloads).
_SKIP = re.compile(r"^/(static|api)/|\.(csv|ics|json)(\?|$)")
_LINK = re.compile(r'href="(/[^"#]*)"')
MAX_PAGES = 150


def crawl(client: TestClient) -> dict[str, int]:
    """Every console page reachable by links from the home page, with its status."""
    seen: dict[str, int] = {}
    todo = deque(["/"])
    while todo and len(seen) < MAX_PAGES:
        path = todo.popleft()
        if path in seen:
            continue
        answer = client.get(path)
        seen[path] = answer.status_code
        if answer.status_code != 200 or "text/html" not in answer.headers.get("content-type", ""):
            continue
        for link in _LINK.findall(answer.text):
            link = link.replace("&amp;", "&")
            if not _SKIP.search(link) and link not in seen:
                todo.append(link)
    return seen


@pytest.fixture
def demo_node(node: Node) -> Node:
    seed.seed_demo(node)
    return node


@pytest.mark.parametrize("role", HUMAN_ROLES)
def test_no_link_a_role_is_shown_answers_403(
    role: str, demo_node: Node, app: FastAPI, client: TestClient
) -> None:
    account = next(a for a in seed.load_demo_accounts(demo_node) if a.roles == (role,))
    assert login(client, account.username, account.password).status_code == 303
    pages = crawl(client)
    forbidden = sorted(path for path, status in pages.items() if status == 403)
    assert forbidden == [], f"{role} is shown links it may not open: {forbidden}"
    assert all(status < 500 for status in pages.values()), pages
    assert len(pages) >= 2
