"""Every local link of the built site resolves: the guides, and the rustdoc
and TypeDoc output embedded under api/, which mkdocs does not check.

A link resolves when the file it names exists (a directory through its
index.html). Links to other hosts are not followed: the checks run offline.
An absolute path is read below the path the site is served at (mkdocs'
404 page links that way).

Usage: python3 tools/docs/check_links.py SITE_DIR [SERVED_AT, such as /enneo-client/]
Exits 1 and lists each broken link with the page it is on.
"""

import os
import sys
from html.parser import HTMLParser
from typing import Iterator, List, Tuple
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, "str | None"]]) -> None:
        for name, value in attrs:
            if value and (name == "href" or (name == "src" and tag in ("script", "img"))):
                self.found.append(value)


def _local(link: str) -> "str | None":
    """The path part of a link within the site, or None for another host,
    a page-internal anchor or a non-file scheme."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return unquote(parts.path)


def broken_links(site: str, served_at: str = "/") -> Iterator[Tuple[str, str]]:
    """(page, link) for each local link whose target does not exist."""
    for root, _dirs, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            page = os.path.join(root, name)
            parser = _Links()
            with open(page, encoding="utf-8", errors="replace") as f:
                parser.feed(f.read())
            for link in parser.found:
                path = _local(link)
                if path is None:
                    continue
                if path.startswith("/"):
                    if not path.startswith(served_at):
                        yield os.path.relpath(page, site), link
                        continue
                    target = os.path.join(site, path[len(served_at):])
                else:
                    target = os.path.join(root, path)
                target = os.path.normpath(target)
                if os.path.isdir(target):
                    target = os.path.join(target, "index.html")
                if not os.path.exists(target):
                    yield os.path.relpath(page, site), link


def main() -> int:
    site = sys.argv[1]
    served_at = sys.argv[2] if len(sys.argv) > 2 else "/"
    broken = sorted(set(broken_links(site, served_at)))
    for page, link in broken:
        print(f"{page}: broken link {link}")
    pages = sum(1 for _r, _d, fs in os.walk(site) for f in fs if f.endswith(".html"))
    print(f"links: {pages} pages checked, {len(broken)} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
