"""The documents pages: reading (lists, pages, files), posting, and the secretariat's TD queue."""
