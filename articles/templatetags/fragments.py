"""{% fragment "name" key ... %}…{% endfragment %}: the enclosed HTML, kept in the shared cache for
the current content (articles.cache) under its name, its keys and the site's address.

What it encloses must be the same for every reader: no form tokens, messages or user names.
Querysets used only inside are lazy, so a hit costs no SQL query at all.
"""

from django import template

from articles.cache import for_current_content

register = template.Library()


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs a name, then optional keys.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class FragmentNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist, self.keys = nodelist, keys

    def render(self, context):
        request = context.get("request")
        site = f"{request.scheme}://{request.get_host()}" if request else ""
        name = "\x1f".join(["fragment", site, *(str(key.resolve(context)) for key in self.keys)])
        return for_current_content(name, lambda: self.nodelist.render(context))
