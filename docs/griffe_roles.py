"""Griffe extension: turn the docstrings' Sphinx roles into mkdocstrings cross-references.

ordermap's docstrings are Google style with Sphinx's inline roles (``:func:`decode```,
``:class:`~ordermap.DexeroOrderPage```), which read well in ``help()`` and in an editor.
MkDocs renders docstrings as Markdown, where a role would show as the literal text
``:func:`` before a code span. Rewriting the roles here, as griffe loads each object, leaves
the source as it is and gives the site a link wherever the target has a page: the role becomes
an optional autorefs reference, which links when the target is rendered and stays plain code,
with no warning, when it is not (a private helper, a builtin such as ``TypeError``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

# A Sphinx role naming a Python object: :func:`target`, :class:`~package.Name`, ...
_ROLE = re.compile(r":(?:py:)?(?:class|func|data|meth|attr|mod|exc|obj|const):`(?P<target>[^`]+)`")
_FENCE = re.compile(r"^\s*(```|~~~)")


class SphinxRoles(griffe.Extension):
    """Rewrite every docstring's Sphinx roles once griffe has loaded the whole package.

    Waiting for the whole package matters: a module's docstring names the members defined
    below it, which griffe has not read yet when it reads the docstring.
    """

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Rewrite the docstrings of ``pkg`` and of everything defined in it."""
        _rewrite_tree(pkg)


def _rewrite_tree(obj: griffe.Object) -> None:
    if obj.docstring is not None and ":`" in obj.docstring.value:
        obj.docstring.value = rewrite(obj.docstring.value, obj)
    for member in obj.members.values():
        if not member.is_alias:
            _rewrite_tree(member)  # type: ignore[arg-type]


def rewrite(text: str, obj: griffe.Object) -> str:
    """Return ``text`` with each role outside code blocks and doctests made a reference."""
    lines = []
    in_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and not line.lstrip().startswith((">>>", "...")):
            line = _ROLE.sub(lambda match: _reference(match["target"], obj), line)
        lines.append(line)
    return "\n".join(lines)


def _reference(target: str, obj: griffe.Object) -> str:
    """An optional autorefs reference to the object a role names, as seen from ``obj``."""
    shown_short = target.startswith("~")
    name = target.lstrip("~!")
    identifier = _resolve(name, obj)
    shown = name.rsplit(".", 1)[-1] if shown_short else name
    return f'<autoref identifier="{identifier}" optional><code>{shown}</code></autoref>'


def _resolve(name: str, obj: griffe.Object) -> str:
    """The full dotted path a role's target most likely means, looked up as Sphinx does.

    A leading dot is relative to the object's package; a dotted name that begins with the
    package's own name is already full; any other name is looked up from the object outwards
    (its class, its module, then the names the package exports, where most roles point).
    An unknown name stays as written, and its reference stays plain text.
    """
    module = obj if obj.is_module else obj.module
    package = module.package
    if name.startswith("."):
        base = module if module.is_init_module else module.parent
        return f"{(base or package).path}{name}"
    head = name.split(".", 1)[0]
    if head == package.name:
        return name
    scope: griffe.Object | None = obj if (obj.is_class or obj.is_module) else obj.parent
    while scope is not None:
        member = scope.members.get(head)
        if member is not None:
            # An imported name is referred to by where it is defined, the path its page has.
            found = member.target_path if isinstance(member, griffe.Alias) else member.path
            return found + name[len(head) :]
        scope = scope.parent
    return name
