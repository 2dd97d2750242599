"""A counselor's caseload (issue 18): ``relapse review DIR`` over many people's exports.

``model`` is pure (figures per export, series, the attention rules as data), ``reader``
streams the exports one at a time (only each row's figures are kept), ``view`` draws the
terminal table, ``writers`` the --html/--json/--csv forms, ``command`` ties them together.
"""
