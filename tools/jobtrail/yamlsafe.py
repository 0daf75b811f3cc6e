"""The YAML loader for front matter: PyYAML's safe loader, minus what makes it slow or unbounded.

PyYAML resolves YAML 1.1, whose base-60 numbers (``1:30:00`` is 5400) turn a
value like ``1:1:1:...`` into one huge integer, built digit by digit in
quadratic time (a 1 MB value took over a minute). Here, as in YAML 1.2, such a
plain value is a string; an explicit ``!!int``/``!!float`` tag on one is an
error. An integer must fit in 64 bits: larger ones are an error (quote them to
keep the text), so nothing downstream formats a number of a million digits.

Imported only when a file has front matter (``check`` stays light).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from frontmatter.default_handlers import SafeLoader as _BaseLoader  # libyaml's CSafeLoader when present

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
LARGEST_INT = 2**63 - 1

# PyYAML's YAML 1.1 patterns without their base-60 alternatives.
_INT = re.compile(
    r"""^(?:[-+]?0b[0-1_]+
    |[-+]?0[0-7_]+
    |[-+]?(?:0|[1-9][0-9_]*)
    |[-+]?0x[0-9a-fA-F_]+)$""",
    re.X,
)
_FLOAT = re.compile(
    r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)
    |\.(?:nan|NaN|NAN))$""",
    re.X,
)


class FrontMatterLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loading with linear-time scalars and bounded integers."""


FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, {INT_TAG: _INT, FLOAT_TAG: _FLOAT}.get(tag, pattern)) for tag, pattern in resolvers]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _refuse(node: yaml.Node, problem: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, problem, node.start_mark)


def _construct_int(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if ":" in text:
        raise _refuse(node, "base-60 numbers are not read; quote the value to keep it as text")
    digits = text.replace("_", "").lstrip("+-").removeprefix("0b").removeprefix("0x").lstrip("0")
    if len(digits) > 64:  # 64 bits take at most 64 binary digits: no need to build the number
        raise _refuse(node, "a whole number larger than 64 bits; quote it to keep it as text")
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    if not -LARGEST_INT - 1 <= value <= LARGEST_INT:
        raise _refuse(node, "a whole number larger than 64 bits; quote it to keep it as text")
    return int(value)


def _construct_float(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> Any:
    if ":" in str(loader.construct_scalar(node)):
        raise _refuse(node, "base-60 numbers are not read; quote the value to keep it as text")
    return yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)


FrontMatterLoader.add_constructor(INT_TAG, _construct_int)
FrontMatterLoader.add_constructor(FLOAT_TAG, _construct_float)
