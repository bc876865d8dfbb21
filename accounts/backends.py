"""Django's model permissions, for the admin site only.

The portal's own permissions are rules (``rules.permissions.ObjectPermissionBackend``, first in
``AUTHENTICATION_BACKENDS``). When a rule says no, Django asks the next backend; ``ModelBackend`` would then read the
person's model permissions and their groups' (two queries) on the pages of anyone. Those permissions only ever open
parts of the admin site, which only staff may enter, so for anyone else the answer is "none" without a query.
"""

from django.contrib.auth.backends import ModelBackend


class StaffModelBackend(ModelBackend):
    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_staff:
            return set()
        return super()._get_permissions(user_obj, obj, from_name)
