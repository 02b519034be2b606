"""Widgets of the skinlog app."""

from skinlog.tui.widgets.face_map import FaceMap, RegionCell

__all__ = ["FaceMap", "RegionCell"]
