"""Compression of the snapshot inside a backup, and inflation bounded by the size the manifest states.

zstd level 1: measured on the scale-20 demo office (94 MB), it compresses 13× faster than zlib level 6
for a file 2 % larger, and inflates 3× faster (docs/benchmarks.md). zlib stays readable: older backups.
A hostile file cannot make us allocate more than the manifest's stated size (itself bounded) plus a chunk.
"""

from __future__ import annotations

import io
import zlib

import zstandard

from khoi_desktop.core.backup.errors import damaged

DEFAULT = "zstd"
KNOWN = ("zstd", "zlib")
ZSTD_LEVEL = 1
CHUNK = 4 * 1024 * 1024
_MAX_WINDOW = 1 << 27  # 128 MiB: zstd frames asking for a larger window are refused, not allocated


def compress(content: bytes | bytearray, codec: str = DEFAULT, *, threads: int = -1) -> bytes:
    """`threads`: zstd's workers (-1: one a core; 0: this thread alone). Every frame reads back the same way."""
    if codec == "zstd":
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL, threads=threads).compress(content)
    return zlib.compress(content, 6)


def _zlib_chunks(compressed: bytes, limit: int) -> tuple[list[bytes], bool]:
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    pending = compressed
    while True:
        part = inflater.decompress(pending, CHUNK)
        parts.append(part)
        total += len(part)
        if total > limit:
            return parts, False
        pending = inflater.unconsumed_tail
        if inflater.eof or not pending and not part:
            break
    return parts, inflater.eof and not inflater.unconsumed_tail and not inflater.unused_data


def _zstd_chunks(compressed: bytes, limit: int) -> tuple[list[bytes], bool]:
    decompressor = zstandard.ZstdDecompressor(max_window_size=_MAX_WINDOW)
    parts: list[bytes] = []
    total = 0
    with decompressor.stream_reader(io.BytesIO(compressed), read_across_frames=True) as reader:
        while True:
            part = reader.read(CHUNK)
            if not part:
                break
            parts.append(part)
            total += len(part)
            if total > limit:
                return parts, False
    return parts, True


def inflate(compressed: bytes, codec: str, size: int, name: str) -> bytes:
    """Exactly `size` bytes, or a refusal naming the file; never more than `size` + one chunk in memory."""
    if codec not in KNOWN:
        raise damaged(name, f"kiểu nén «{codec}» không được hỗ trợ")
    try:
        parts, complete = (_zstd_chunks if codec == "zstd" else _zlib_chunks)(compressed, size)
    except (zlib.error, zstandard.ZstdError):
        raise damaged(name, "dữ liệu nén không giải nén được") from None
    total = sum(len(p) for p in parts)
    if total > size:
        raise damaged(name, "dữ liệu giải nén lớn hơn kích thước ghi trong bảng kê")
    if not complete or total != size:
        raise damaged(name, "dữ liệu nén bị cắt cụt")
    return b"".join(parts)
