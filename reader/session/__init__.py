"""The reader without a screen: loading, views, marks, position and the trail."""
