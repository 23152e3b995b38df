"""Scoring: fund figures, leaf indicators, the total and the grade."""
