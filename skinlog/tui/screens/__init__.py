"""The app's views, one per module."""
