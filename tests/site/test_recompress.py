"""What every search downloads first is compressed again with zopfli (site/recompress.py): smaller,
the same bytes once inflated, anything that is not gzip left alone, the WebAssembly cached."""
from __future__ import annotations

import gzip
import random

from portal.site import recompress


def pagefind_like(tmp_path):
    """A bundle with Pagefind's file names: gzip at zlib's level 6, as Pagefind writes them."""
    rng = random.Random(7)
    words = ["circular", "economy", "waste", "startup", "cluster", "Petersburg", "Kotka", "energy"]
    text = " ".join(rng.choice(words) + str(rng.randrange(500)) for _ in range(20000)).encode()
    bundle = tmp_path / "pagefind"
    bundle.mkdir()
    (bundle / "pagefind.en_0123456789.pf_meta").write_bytes(gzip.compress(text, 6))
    (bundle / "wasm.en.pagefind").write_bytes(gzip.compress(text[::-1], 6))
    (bundle / "pagefind.js").write_bytes(b"export const x = 1;\n")  # not a target
    return bundle, text


def test_the_first_downloads_shrink_and_inflate_to_the_same_bytes(tmp_path):
    bundle, text = pagefind_like(tmp_path)
    before, after = recompress.recompress_bundle(bundle, tmp_path / "cache")
    assert after < before
    assert gzip.decompress((bundle / "pagefind.en_0123456789.pf_meta").read_bytes()) == text
    assert gzip.decompress((bundle / "wasm.en.pagefind").read_bytes()) == text[::-1]
    assert (bundle / "pagefind.js").read_bytes() == b"export const x = 1;\n"
    assert not list(bundle.glob(".*.tmp"))


def test_not_gzip_is_left_as_it_is(tmp_path):
    assert recompress.recompressed(b"not gzip at all") == b"not gzip at all"


def test_the_webassembly_is_compressed_once_per_machine(tmp_path, monkeypatch):
    bundle, _ = pagefind_like(tmp_path)
    original = (bundle / "wasm.en.pagefind").read_bytes()
    cache = tmp_path / "cache"
    recompress.recompress_bundle(bundle, cache)
    assert len(list(cache.glob("*.gz"))) == 1  # the wasm only: the metadata changes with every index
    smaller = (bundle / "wasm.en.pagefind").read_bytes()
    (bundle / "wasm.en.pagefind").write_bytes(original)
    import zopfli.gzip
    monkeypatch.setattr(zopfli.gzip, "compress", lambda *a, **k: (_ for _ in ()).throw(AssertionError("compressed again")))
    monkeypatch.setattr(recompress, "targets", lambda b: [b / "wasm.en.pagefind"])
    recompress.recompress_bundle(bundle, cache)
    assert (bundle / "wasm.en.pagefind").read_bytes() == smaller
