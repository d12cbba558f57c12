"""axe-core (from the npm registry) run in a Playwright page: every rule that is not experimental,
best-practice rules included."""

from pathlib import Path

from django.conf import settings

AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page):
    """The violations axe finds on `page` as it stands, as short readable lines."""
    assert AXE_JS.exists(), "make test installs axe-core (npm ci): run it once"
    # evaluate() is not subject to the page's Content-Security-Policy, which refuses injected scripts.
    page.evaluate(AXE_JS.read_text())
    violations = page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => `${v.id} (${v.impact}): ${v.help} at ` +
            v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", "));
    }""")
    return violations
