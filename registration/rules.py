"""Who may do what with entities, affiliations and registrations.

Object-level reads are scoped by the ``access_*`` functions in ``queries.py`` (what a person cannot see is a
404); these predicates decide the actions on what they can see (a missing right is a 403). Whether the object's
state allows the action is the service's business: it answers with a clear message, not a 403.
"""

import rules

from accounts.rules import is_secretariat

from . import queries


@rules.predicate
def is_member(user):
    """An approved affiliation to a member entity (``registration.queries.is_member``), asked on every check so
    that a withdrawn affiliation takes effect on the next request."""
    return queries.is_member(user)


@rules.predicate
def is_focal_point(user):
    """A focal point of at least one entity."""
    return bool(queries.entities_of_focal_point(user))


@rules.predicate
def is_focal_point_of_entity(user, entity):
    return entity is not None and entity.pk in queries.entities_of_focal_point(user)


@rules.predicate
def is_focal_point_of_registration(user, registration):
    return registration is not None and registration.entity_id in queries.entities_of_focal_point(user)


@rules.predicate
def is_focal_point_of_affiliation(user, affiliation):
    return affiliation is not None and affiliation.entity_id in queries.entities_of_focal_point(user)


@rules.predicate
def is_registrant(user, registration):
    return registration is not None and registration.delegate_id == user.pk


rules.add_perm("registration.register", rules.is_authenticated)
rules.add_perm("registration.view_own_registrations", rules.is_authenticated)
rules.add_perm("registration.request_affiliation", rules.is_authenticated)
rules.add_perm("registration.view_registration", is_registrant | is_focal_point_of_registration | is_secretariat)
rules.add_perm("registration.cancel_registration", is_registrant | is_secretariat)
rules.add_perm("registration.change_registration", is_registrant | is_secretariat)
rules.add_perm("registration.decide_registration", is_focal_point_of_registration | is_secretariat)
rules.add_perm("registration.view_queue", is_focal_point | is_secretariat)
rules.add_perm("registration.decide_affiliation", is_focal_point_of_affiliation | is_secretariat)
rules.add_perm("registration.view_entity", is_focal_point_of_entity | is_secretariat)
rules.add_perm("registration.set_auto_approval", is_focal_point_of_entity | is_secretariat)
rules.add_perm("registration.manage_entities", is_secretariat)
rules.add_perm("registration.view_meeting_registrations", is_secretariat)
rules.add_perm("registration.register_someone", is_secretariat)
rules.add_perm("registration.issue_visa_letter", is_secretariat)
