"""Widgets of the skinlog app."""

from skinlog.tui.widgets.choice import Choice
from skinlog.tui.widgets.face_map import FaceMap

__all__ = ["Choice", "FaceMap"]
