"""Small repairs and one addition to the HTML that Jupyter Book 1.0.4 produces.

1. Repeated inline scripts. With Sphinx 7.4, the inline scripts that extensions add
   (sphinx-thebe's configuration, sphinx-togglebutton's selector) reach every page twice.
   sphinx-thebe's declares ``const THEBE_JS_URL``, so its second copy throws a SyntaxError in
   the browser console on every page. We keep the first copy of each identical script.

2. Bibliography roles. docutils marks a citation list ``role="list"`` and each entry
   ``role="doc-biblioentry"``, a role that ARIA has deprecated; screen readers and axe-core
   then see a list without list items (a critical accessibility violation). Each entry
   becomes a ``listitem``.

3. Reading time. The theme has no reading-time display; MyST counts the words of every page
   (``wordcount`` in the page metadata), so each page states its reading time under its title.

4. Font Awesome twice. The theme draws its icons with Font Awesome's web fonts (in its CSS)
   and also loads Font Awesome's JavaScript, 1.5 MB, which it ships "so that users can add
   custom icons". The book has none, so the script is dropped from every page: the largest
   single file a page loaded, a third of its bytes.
"""

import pathlib
import re


def _drop_repeated_scripts(context) -> None:
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The two copies of an inline script differ only in a filename of None versus "".
        key = (getattr(script, "filename", None) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def _fix_bibliography_roles(context) -> None:
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


def _add_reading_time(context) -> None:
    count = (context.get("meta") or {}).get("wordcount") or {}
    body = context.get("body")
    if not body or count.get("words", 0) < 200:
        return
    note = (f'<p class="reading-time">About {max(1, count["minutes"])} minutes of reading '
            f'({count["words"]:,} words), plus the code.</p>')
    context["body"] = re.sub(r"(</h1>)", r"\1" + note, body, count=1)


_FONTAWESOME_SCRIPT = re.compile(r'\s*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>')


def _drop_fontawesome_script(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in pathlib.Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        slimmer = _FONTAWESOME_SCRIPT.sub("", text)
        if slimmer != text:
            page.write_text(slimmer, encoding="utf-8")


def _on_page(app, pagename, templatename, context, doctree):
    _drop_repeated_scripts(context)
    _fix_bibliography_roles(context)
    _add_reading_time(context)


def setup(app):
    app.connect("html-page-context", _on_page)
    app.connect("build-finished", _drop_fontawesome_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
