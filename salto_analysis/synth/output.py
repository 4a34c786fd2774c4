"""Byte-stable writing of the synthetic files and their manifest.

Determinism rules: rows are sorted by the generator before writing; floats are already
formatted as strings (``"%.4f"``); CSV uses UTF-8, ``,`` and ``\\n``; gzip files carry
a fixed header (no file name, modification time 0, OS byte 255 "unknown") around a raw
deflate stream at a fixed level. The deflate stream itself depends on the zlib
implementation (zlib and zlib-ng compress differently), so the manifest records the
SHA-256 of the file *and* of the uncompressed content.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

import pandas as pd

__all__ = ["gzip_bytes", "csv_bytes", "write_table", "write_manifest", "sha256"]

GZIP_LEVEL = 6


def csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV text of ``df`` (header, no index, ``\\n`` line ends, empty string for missing)."""
    return df.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def gzip_bytes(data: bytes, level: int = GZIP_LEVEL) -> bytes:
    """A gzip member (RFC 1952) with a fixed 10-byte header: no name, mtime 0, OS unknown."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = comp.compress(data) + comp.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00" + b"\xff"
    return header + body + struct.pack("<II", zlib.crc32(data) & 0xFFFFFFFF, len(data) & 0xFFFFFFFF)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_table(df: pd.DataFrame, path: Path, level: int = GZIP_LEVEL) -> dict:
    """Write ``df`` as CSV (gzip at ``level`` if the name ends in ``.gz``); return its manifest entry."""
    content = csv_bytes(df)
    data = gzip_bytes(content, level) if path.name.endswith(".gz") else content
    path.write_bytes(data)
    return {
        "synthetic": True,
        "rows": int(len(df)),
        "columns": list(df.columns),
        "sha256": sha256(data),
        "content_sha256": sha256(content),
    }


def write_manifest(path: Path, manifest: dict) -> None:
    """Write the manifest as indented UTF-8 JSON with a final newline."""
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
