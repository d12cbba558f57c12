"""{% fragment "name" input ... %}…{% endfragment %}: the enclosed HTML, kept in the shared cache
under its name, the site's address and the inputs it renders (each one's `cache_key()` if it has
one, else its text), while what it was made from is unchanged (pagecache.store): what its page
declared before it and what is declared inside, with {% depends_on "prefix" ids %}.

What it encloses must be the same for every reader: no form tokens, messages or user names.
Logged-in readers (staff previewing drafts, whose edits touch nothing public) get it fresh.
Querysets used only inside are lazy, so a hit costs no SQL query at all.
"""

from django import template

from pagecache.store import cached, depends_on

register = template.Library()


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name, then the values it renders.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


def input_key(value):
    """The part of a fragment's key that `value` gives: its declared cache_key(), else its text."""
    return str(value.cache_key()) if hasattr(value, "cache_key") else str(value)


class FragmentNode(template.Node):
    def __init__(self, nodelist, inputs):
        self.nodelist, self.inputs = nodelist, inputs

    def render(self, context):
        request = context.get("request")
        if request and getattr(request, "user", None) and request.user.is_authenticated:
            return self.nodelist.render(context)  # logged in (staff previews): fresh, as whole pages
        site = f"{request.scheme}://{request.get_host()}" if request else ""
        name = "\x1f".join(["fragment", site, *(input_key(bit.resolve(context)) for bit in self.inputs)])
        return cached(name, lambda: self.nodelist.render(context), inherit=True)


@register.simple_tag(name="depends_on")
def depends_on_tag(prefix, *values):
    """Declare `prefix:<id>` for each value (an id, an object with a pk, or a list of either), or
    `prefix` alone without values."""
    items = [item for value in values for item in (value if _many(value) else [value]) if item is not None]
    if not values:
        items = [None]
    depends_on(*(prefix if item is None else f"{prefix}:{getattr(item, 'pk', item)}" for item in items))
    return ""


def _many(value):
    return hasattr(value, "__iter__") and not isinstance(value, str)
