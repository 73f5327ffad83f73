"""The site's public address, for the absolute links of what leaves the site (data files, feeds,
JSON-LD): `site_url` of mkdocs.yml, whose `!ENV [SITE_URL, default]` tag takes $SITE_URL when set
(the deploy workflow passes the real address so), read without MkDocs (PyYAML and that one tag).

Empty when there is no mkdocs.yml (a copy of the generator alone): links then stay relative to the
site's root, which is what they were before the site had an address.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin

import yaml


class _Loader(yaml.SafeLoader):
    pass


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    """`!ENV NAME` or `!ENV [NAME, ..., default]`, as MkDocs (pyyaml_env_tag) reads it."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    for name in names:
        if os.environ.get(str(name)):
            return os.environ[str(name)]
    return default


_Loader.add_constructor("!ENV", _env)
# Other tags of mkdocs.yml (!!python/name: in extensions) are not needed here: read as plain values.
_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


@lru_cache(maxsize=8)
def _read(config: str, mtime_ns: int, env: str) -> str:
    with open(config, encoding="utf-8") as handle:
        value = (yaml.load(handle, Loader=_Loader) or {}).get("site_url") or ""
    value = str(value)
    return value if not value or value.endswith("/") else value + "/"


def site_root(root: Path) -> str:
    """'https://host/path/' (always with the final slash), or '' without mkdocs.yml or site_url."""
    config = Path(root) / "mkdocs.yml"
    try:
        mtime = config.stat().st_mtime_ns
    except OSError:
        return ""
    return _read(str(config), mtime, os.environ.get("SITE_URL", ""))


def absolute(root: Path, path: str) -> str:
    """A site path ('ru/projects/x/') as an absolute address under site_root (as is without one)."""
    base = site_root(root)
    return urljoin(base, path) if base else path
