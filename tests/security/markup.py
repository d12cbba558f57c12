"""Checks that what a page, a feed or a JSON-LD block carries is text, never live markup from a payload."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests.security.xss_payloads import EVALUATED_WITNESSES, MARKER_RE, PAYLOADS

# Elements no page of the site has: a payload that becomes one of them is markup, whatever it does.
FOREIGN_ELEMENTS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
# Attributes whose value is an address the browser may load or run.
ADDRESS_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "srcdoc",
    "srcset", "ping", "codebase", "cite", "lowsrc", "dynsrc",
}  # fmt: skip
DANGEROUS_SCHEME = re.compile(r"^(?:javascript|data|vbscript):")
# Attributes in which typed text legitimately lands, escaped (a title, a form value, an image's
# alternative text, a heading's id, an ordinary link's address).
TEXT_ATTRIBUTES = {"value", "content", "title", "alt", "placeholder", "id"}
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def _address(value):
    # Browsers ignore control characters and whitespace around and inside a scheme.
    return re.sub(r"[\x00-\x20\x7f]+", "", value).lower()


def _flat(value):
    return " ".join(value) if isinstance(value, list) else value


def live_markup(html):
    """Problems in `html`: elements, attributes or addresses a payload introduced (empty when clean)."""
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        name = element.name.lower()
        where = f"<{name}>"
        if name in FOREIGN_ELEMENTS:
            problems.append(f"{where} element")
        if name == "meta" and element.get("http-equiv"):
            problems.append(f"{where} with http-equiv={element['http-equiv']!r}")
        if name == "script":
            problems += _script_problems(element)
        if name == "style" and MARKER_RE.search(element.get_text()):
            problems.append(f"{where} with a marker: {element.get_text()[:80]!r}")
        for attribute, raw in element.attrs.items():
            problem = _attribute_problem(name, attribute.lower(), _flat(raw))
            if problem:
                problems.append(f"{where} {problem}")
    return problems


def _text_attribute(element, attribute, value):
    if attribute in ("href", "action"):
        # A slug made from a title keeps the marker's letters: fine in our own addresses.
        return element == "a" or _same_site(value)
    return attribute in TEXT_ATTRIBUTES or attribute.startswith("aria-")


def _attribute_problem(element, attribute, value):
    if attribute.startswith("on"):
        return f"event handler {attribute}={value[:80]!r}"
    if MARKER_RE.search(attribute):
        return f"attribute named by a payload: {attribute!r}"
    if attribute in ADDRESS_ATTRIBUTES and DANGEROUS_SCHEME.match(_address(value)):
        return f"{attribute}={value[:80]!r}"
    if MARKER_RE.search(value) and not _text_attribute(element, attribute, value):
        return f"{attribute}={value[:80]!r} carries a marker"
    return None


def _same_site(address):
    try:
        return urlsplit(address).netloc in ("", "testserver")
    except ValueError:
        return False


def _script_problems(element):
    text = element.get_text()
    kind = (element.get("type") or "text/javascript").lower()
    src = _flat(element.get("src", ""))
    if kind in JSON_SCRIPT_TYPES:
        return [f"<script type={kind}>: {problem}" for problem in json_block_problems(text)]
    if src and (not src.startswith("/") or src.startswith("//") or MARKER_RE.search(src)):
        return [f"<script src={src[:80]!r}>"]
    if MARKER_RE.search(text):
        return [f"<script> running a payload: {text[:80]!r}"]
    return []


def json_block_problems(text):
    """Problems of a JSON <script> block: not valid JSON, or raw text that could end or bend the element."""
    problems = []
    lowered = text.lower()
    for dangerous in ("</script", "<!--", "<script"):
        if dangerous in lowered:
            problems.append(f"raw {dangerous!r} in the block")
    try:
        json.loads(text)
    except ValueError as error:
        problems.append(f"not valid JSON ({error})")
    return problems


def json_ld_blocks(html):
    """The raw text of each JSON-LD block of `html`."""
    soup = BeautifulSoup(html, "html.parser")
    return [script.get_text() for script in soup.find_all("script", type="application/ld+json")]


def raw_payloads(body):
    """The numbers of markup-bearing payloads that occur verbatim (unescaped) in `body`."""
    return [p.number for p in PAYLOADS if "<" in p.text and p.text in body]


def evaluated_template_syntax(body):
    """Witnesses that a payload's template syntax was evaluated."""
    return [witness for witness in EVALUATED_WITNESSES if witness in body]


def page_problems(body):
    """Everything wrong with an HTML page that payloads went into."""
    problems = live_markup(body)
    problems += [f"payload {n} verbatim" for n in raw_payloads(body)]
    problems += [f"template syntax evaluated: {w}" for w in evaluated_template_syntax(body)]
    return problems


def report(problems_by_address, addresses=5, lines=8):
    """The first problems of the first failing addresses, readable in a test report."""
    shown = list(problems_by_address.items())[:addresses]
    text = "\n".join(f"{url}\n    " + "\n    ".join(problems[:lines]) for url, problems in shown)
    more = len(problems_by_address) - len(shown)
    return text + (f"\n... and {more} more address(es)" if more > 0 else "")


# --- Feeds ---------------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"


def html_fields_of_feed(xml_bytes):
    """(element name, text) of each field of an RSS or Atom feed that a feed reader renders as HTML."""
    root = ET.fromstring(xml_bytes)  # raises on a feed that is not well-formed
    fields = []
    for element in root.iter():
        tag = element.tag
        html_typed = (
            tag == "description"  # RSS 2.0: "the item synopsis", entity-encoded HTML
            or (tag.startswith(ATOM) and element.get("type") in ("html", "xhtml"))
        )
        if html_typed:
            fields.append((tag.removeprefix(ATOM), element.text or ""))
    return fields


def feed_problems(xml_bytes):
    """Live markup in the HTML-typed fields of a feed, or a feed that does not parse."""
    try:
        fields = html_fields_of_feed(xml_bytes)
    except ET.ParseError as error:
        return [f"not well-formed XML ({error})"]
    problems = []
    for name, text in fields:
        problems += [f"<{name}>: {problem}" for problem in live_markup(text)]
        problems += [f"<{name}>: payload {n} as HTML" for n in raw_payloads(text)]
    return problems
