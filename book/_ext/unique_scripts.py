"""Drop repeated <script> entries from every page.

With Jupyter Book 1.0.4 and Sphinx 7.4, the inline scripts that extensions add (sphinx-thebe's
configuration, sphinx-togglebutton's selector) reach every page twice. sphinx-thebe's declares
``const THEBE_JS_URL``, so its second copy throws a SyntaxError in the browser console on
every page. Keeping the first copy of each identical script changes nothing else.
"""


def _drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # The two copies of an inline script differ only in a filename of None versus "".
        key = (getattr(script, "filename", None) or "", tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
