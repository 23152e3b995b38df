"""Evaluations as records: the captured document, its versions, its lifecycle and its scores."""
