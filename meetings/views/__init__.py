"""Views of meetings: the public pages (``public``) and the secretariat's (``secretariat``)."""
