"""Find the forms a page offers: their method, where they submit and the names of their
fields, read from the HTML the way a browser (or an attacker) would."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# Forms every page carries that are not the page's own (signing out would end the probe).
NOT_FUZZED = ("/accounts/logout/", "/i18n/setlang/", "/demo/")


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> offered values
    files: list[str] = field(default_factory=list)


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.current = Form((a.get("method") or "get").lower(), urlsplit(action).path)
            self.forms.append(self.current)
        elif self.current is not None and a.get("name"):
            name = a["name"]
            if tag == "input" and a.get("type") == "file":
                self.current.files.append(name)
            elif tag in ("input", "select", "textarea", "button"):
                self.current.fields.setdefault(name, [])
                if a.get("value") is not None:
                    self.current.fields[name].append(a["value"])
        elif self.current is not None and tag == "option" and a.get("value") is not None:
            last = list(self.current.fields)[-1:] or None
            if last:
                self.current.fields[last[0]].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def forms_on(page_url: str, html: str) -> list[Form]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [
        f for f in parser.forms if not f.action.startswith(NOT_FUZZED) and (f.fields or f.files)
    ]
