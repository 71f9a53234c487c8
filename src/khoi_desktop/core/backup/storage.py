"""Where a path lives: local disk, removable drive (USB stick, SD card) or network share.

The live database is never opened on removable or network storage: unplugging a stick or a flaky
network mid-write corrupts SQLite files. Tests replace `probe` / `drive_lister`.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from khoi_desktop.core.errors import DatabaseError


class StorageKind(enum.Enum):
    LOCAL = "local"
    REMOVABLE = "removable"
    NETWORK = "network"
    UNKNOWN = "unknown"


NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "sshfs", "fuse.sshfs", "afs", "ceph",
              "glusterfs", "fuse.glusterfs", "9p", "davfs", "fuse.davfs2", "fuse.rclone", "ncpfs", "coda"}
# GetDriveTypeW results
_DRIVE_REMOVABLE, _DRIVE_FIXED, _DRIVE_REMOTE, _DRIVE_CDROM, _DRIVE_RAMDISK = 2, 3, 4, 5, 6


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str


def _existing(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path.parent != path:
        path = path.parent
    return path.resolve()


def _windows_kind(path: Path) -> StorageKind:
    import ctypes

    text = str(_existing(path))
    if text.startswith("\\\\?\\UNC\\") or (text.startswith("\\\\") and not text.startswith("\\\\?\\")):
        return StorageKind.NETWORK
    drive = os.path.splitdrive(text)[0].removeprefix("\\\\?\\")
    kind = ctypes.windll.kernel32.GetDriveTypeW(drive + "\\")  # type: ignore[attr-defined]
    return {_DRIVE_REMOVABLE: StorageKind.REMOVABLE, _DRIVE_CDROM: StorageKind.REMOVABLE,
            _DRIVE_REMOTE: StorageKind.NETWORK, _DRIVE_FIXED: StorageKind.LOCAL,
            _DRIVE_RAMDISK: StorageKind.LOCAL}.get(kind, StorageKind.UNKNOWN)


def _mounts() -> list[tuple[str, str, str]]:
    """(device, mount point, file-system type) from /proc/mounts."""
    def unescape(field: str) -> str:
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")

    rows = []
    with open("/proc/mounts", encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 3:
                rows.append((unescape(parts[0]), unescape(parts[1]), parts[2]))
    return rows


def _block_removable(device: str) -> bool:
    """True for a USB disk or SD card: /sys/block/<disk>/removable, or a disk on the USB/MMC bus."""
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name
    node = Path("/sys/class/block") / name
    if not node.exists():
        return False
    sys_path = Path(os.path.realpath(node))
    disk = sys_path if (sys_path / "removable").exists() else sys_path.parent  # a partition's disk
    try:
        flag = (disk / "removable").read_text().strip()
    except OSError:
        flag = "0"
    return flag == "1" or "/usb" in str(sys_path) or "/mmc" in str(sys_path)


def _linux_kind(path: Path) -> StorageKind:
    target = str(_existing(path))
    best: tuple[str, str, str] | None = None
    for device, mount, fstype in _mounts():
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and (best is None or len(mount) > len(best[1])):
            best = (device, mount, fstype)
    if best is None:
        return StorageKind.UNKNOWN
    device, _mount, fstype = best
    if fstype in NETWORK_FS or device.startswith("//") or (":" in device and fstype.startswith("nfs")):
        return StorageKind.NETWORK
    return StorageKind.REMOVABLE if _block_removable(device) else StorageKind.LOCAL


def detect_storage_kind(path: Path) -> StorageKind:
    try:
        if sys.platform == "win32":
            return _windows_kind(path)
        if sys.platform.startswith("linux"):
            return _linux_kind(path)
    except (OSError, ValueError, AttributeError):
        pass
    return StorageKind.UNKNOWN


def list_removable_drives() -> list[Drive]:
    try:
        if sys.platform == "win32":
            import ctypes
            import string

            mask = ctypes.windll.kernel32.GetLogicalDrives()  # type: ignore[attr-defined]
            letters = [letter for i, letter in enumerate(string.ascii_uppercase) if mask >> i & 1]
            return [Drive(Path(f"{letter}:\\"), f"Ổ {letter}:") for letter in letters
                    if ctypes.windll.kernel32.GetDriveTypeW(f"{letter}:\\") == _DRIVE_REMOVABLE]  # type: ignore[attr-defined]
        if sys.platform.startswith("linux"):
            return [Drive(Path(mount), Path(mount).name or mount) for device, mount, _fs in _mounts()
                    if _block_removable(device) and os.access(mount, os.W_OK)]
    except (OSError, ValueError, AttributeError):
        pass
    return []


probe: Callable[[Path], StorageKind] = detect_storage_kind
drive_lister: Callable[[], list[Drive]] = list_removable_drives


def storage_kind(path: Path) -> StorageKind:
    return probe(path)


def removable_drives() -> list[Drive]:
    return drive_lister()


def check_live_location(path: Path) -> None:
    """Refuse a live database on a removable drive or a network share."""
    kind = storage_kind(path)
    where = {StorageKind.REMOVABLE: "ổ di động (USB, thẻ nhớ)", StorageKind.NETWORK: "ổ mạng"}.get(kind)
    if where:
        raise DatabaseError(
            f"Tệp {Path(path).name} nằm trên {where}. Phần mềm không làm việc trực tiếp trên cơ sở dữ liệu "
            "ở đó: rút ổ hoặc mất mạng giữa chừng có thể làm hỏng dữ liệu. Hãy chép tệp vào máy "
            "(hoặc dùng «Khôi phục» nếu đó là bản sao lưu) rồi mở bản trên máy.", code="unsafe_location")
