"""A JSON file named on the command line, read with the reason in Vietnamese when it cannot be: Python's own
words ("Expecting value: line 1 column 1 (char 0)", "'utf-8' codec can't decode …") are English."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from khoi_desktop.core.errors import FileMissing, ValidationError, os_reason, refuse_folder
from khoi_desktop.core.text import decode_text_file


def read_json_file(path: Path | str) -> Any:
    path = Path(path)
    try:
        text = decode_text_file(path.read_bytes())  # Notepad's BOM, or its «Unicode» (UTF-16)
    except FileNotFoundError:
        raise FileMissing(path) from None
    except UnicodeDecodeError:
        raise ValidationError(f"Tệp {path} không phải văn bản UTF-8: hãy lưu lại tệp với bảng mã UTF-8.",
                              code="invalid_json") from None
    except OSError as exc:
        refuse_folder(path, "tệp JSON", "ten-tep.json")
        raise ValidationError(f"Không đọc được tệp {path}: {os_reason(exc)}.", code="invalid_json") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"Tệp {path} không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}).",
                              code="invalid_json") from None
    except (RecursionError, ValueError):
        raise ValidationError(f"Tệp {path} không phải JSON hợp lệ.", code="invalid_json") from None
