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
"""

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


def _on_page(app, pagename, templatename, context, doctree):
    _drop_repeated_scripts(context)
    _fix_bibliography_roles(context)
    _add_reading_time(context)


def setup(app):
    app.connect("html-page-context", _on_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
