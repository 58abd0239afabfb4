"""Workbench screens, one per module."""
