"""Organisations (财政局 → 主管部门 → 预算单位) and the roles people hold in them."""
