"""Addresses of the pages in a given language: reverse() gives the active language's (English in tests)."""

from __future__ import annotations

from django.urls import translate_url


def in_spanish(url: str) -> str:
    """The Spanish address of the page at `url` (same path and query, under /es/)."""
    return translate_url(url, "es")
