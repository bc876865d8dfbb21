from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The admin app with ``accounts.admin_site.PortalAdminSite`` as its site: no login page of its own."""

    default_site = "accounts.admin_site.PortalAdminSite"
