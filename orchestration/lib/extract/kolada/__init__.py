"""Kolada API v3: request planning, wire format, paging and loading into raw."""
