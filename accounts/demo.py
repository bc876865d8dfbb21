"""Demo accounts for `make run`: one secretariat member and a few delegates."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from .models import User

DEMO_PASSWORD = "portal-demo-2026"

PEOPLE = [
    # e-mail, given name, family name, gender, country, secretariat
    ("secretariat@example.org", "Sofia", "Martin", User.Gender.FEMALE, "CH", True),
    ("delegate@example.org", "Daniel", "Okafor", User.Gender.MALE, "NG", False),
    ("focal.point@example.org", "Hana", "Kim", User.Gender.FEMALE, "KR", False),
    ("newcomer@example.org", "Lucía", "Fernández", User.Gender.FEMALE, "AR", False),
]


def ensure_user(email, given_name, family_name, gender, country, *, staff=False) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "given_name": given_name,
            "family_name": family_name,
            "gender": gender,
            "country": country,
            "is_staff": staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load(stdout=None):
    secretariat, _ = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)
    for email, given, family, gender, country, is_secretariat in PEOPLE:
        user = ensure_user(email, given, family, gender, country, staff=is_secretariat)
        if is_secretariat:
            user.groups.add(secretariat)
    if stdout:
        stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for email, *_rest, is_secretariat in PEOPLE:
            stdout.write(f"  {email}{'  (secretariat)' if is_secretariat else ''}")
