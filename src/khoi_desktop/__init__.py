"""khoi-desktop: tổ chức đảng, đảng viên và quyết định của Đảng ủy Khối."""

__version__ = "0.1.0"
