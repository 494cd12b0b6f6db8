"""The XSS corpus and a checker that finds executable vectors in a page."""
import re
from pathlib import Path

import html5lib

CORPUS = Path(__file__).with_name("xss_payloads.txt")


def payloads():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


# Attributes a browser follows or runs as a URL.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster", "lowsrc", "dynsrc", "code",
                  "codebase", "cite", "srcset", "ping", "to", "from", "values"}
BAD_SCHEME = re.compile(r"^(javascript|data|vbscript):")
# Elements that load or run something of their own; the site's pages never carry them.
ACTIVE_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "bgsound", "isindex", "portal"}
# htmx attributes that send a request (hx-confirm and the like only carry text for a dialog).
HX_REQUESTS = {"hx-get", "hx-post", "hx-put", "hx-patch", "hx-delete"}
SCRUB = re.compile(r"[\x00-\x20\x7f]+")


def _local(name):
    return name.rsplit("}", 1)[-1].split(":")[-1].lower()


def find_vectors(html, allowed=frozenset()):
    """Executable vectors in ``html``; ``allowed`` holds (tag, attribute, value) the site itself writes."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    problems = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        attributes = {_local(name): value for name, value in element.attrib.items()}
        if tag == "script":
            source = attributes.get("src", "")
            if (element.text or "").strip() or ("script", "src", source) not in allowed:
                problems.append(f"<script src={source!r}>{(element.text or '')[:40]}")
        if tag in ACTIVE_ELEMENTS:
            problems.append(f"<{tag}>")
        if tag == "meta" and "http-equiv" in attributes:
            problems.append(f"<meta http-equiv={attributes['http-equiv']!r}>")
        if tag == "style" and ("style", "", element.text or "") not in allowed:
            problems.append("<style> from content")
        for name, value in attributes.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            if name in ("srcdoc",) or name.startswith("hx-on") or name.startswith("data-hx-on"):
                problems.append(f"<{tag} {name}=...>")
            if name.removeprefix("data-") in HX_REQUESTS and "/logout" in value:
                problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(SCRUB.sub("", value).lower()):
                if (tag, name, value) not in allowed:
                    problems.append(f"<{tag} {name}={value[:40]!r}>")
    return problems


def site_markup(html):
    """What the site's own layout writes (its scripts, icon, styles): allowed on every page."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    allowed = set()
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = _local(element.tag)
        for name, value in element.attrib.items():
            allowed.add((tag, _local(name), value))
        if tag == "style":
            allowed.add(("style", "", element.text or ""))
    return frozenset(allowed)
