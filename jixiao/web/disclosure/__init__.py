"""Public disclosure (绩效信息公开): published evaluations without login, and open data."""
