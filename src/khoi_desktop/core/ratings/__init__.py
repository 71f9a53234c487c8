"""Annual quality rating (đánh giá, xếp loại chất lượng) of organizations and members."""
