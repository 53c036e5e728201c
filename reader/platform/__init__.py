"""Platform services: every path on disk, the config file, remembered settings, the garbage
collector's policy, whole-file writes and opening a link in the browser."""
