"""Documents in an S3-compatible bucket (moto's S3 server): stored there, handed out by short-lived presigned URLs
after the access check, never reachable without a signature."""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from botocore.config import Config
from django.core.files.storage import default_storage
from django.urls import reverse
from moto.server import ThreadedMotoServer

from documents.models import DocumentFile
from tests.documents.factories import upload
from tests.documents.test_uploads import EXE, post_form
from tests.factories import UserFactory

BUCKET = "portal-files"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{server._server.server_port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="portal",
        aws_secret_access_key="portal-secret",
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"),
    )
    client.create_bucket(Bucket=BUCKET)
    settings.AWS_STORAGE_BUCKET_NAME = BUCKET
    settings.AWS_ACCESS_KEY_ID = "portal"
    settings.AWS_SECRET_ACCESS_KEY = "portal-secret"
    settings.AWS_S3_ENDPOINT_URL = s3_server
    settings.AWS_S3_REGION_NAME = "us-east-1"
    settings.AWS_S3_ADDRESSING_STYLE = "path"
    settings.AWS_S3_SIGNATURE_VERSION = "s3v4"
    settings.AWS_QUERYSTRING_EXPIRE = settings.DOWNLOAD_URL_SECONDS = 60
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "sg17portal.object_storage.PrivateS3Storage"}}
    yield client
    for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=entry["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return [entry["Key"] for entry in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.fixture
def member_client(client, member, entity):
    client.force_login(member)
    client.entity_pk = entity.pk
    return client


def test_posted_file_goes_to_the_bucket_and_downloads_by_a_short_lived_presigned_url(
    member_client, meeting, bucket, s3_server
):
    post_form(member_client, meeting, [upload("contribution.docx")])
    stored = DocumentFile.objects.get()
    assert keys(bucket) == [stored.file.name]
    assert default_storage.__class__.__name__ == "PrivateS3Storage"

    response = member_client.get(reverse("documents:file", args=[stored.pk, stored.name]))

    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(f"{s3_server}/{BUCKET}/{stored.file.name}?")
    query = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert query["X-Amz-Expires"] == "60"
    assert query["response-content-disposition"] == f'attachment; filename="{stored.name}"'
    assert query["response-content-type"] == stored.content_type
    assert "X-Amz-Signature" in query
    with urllib.request.urlopen(url) as fetched:  # noqa: S310 - the test's own S3 server
        assert fetched.headers["Content-Disposition"] == f'attachment; filename="{stored.name}"'
        assert fetched.read()[:2] == b"PK"
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(url.split("?")[0])  # noqa: S310
    assert unsigned.value.code == 403


def test_anonymous_and_non_members_get_no_url(client, member_client, meeting, bucket):
    post_form(member_client, meeting, [upload("contribution.docx")])
    stored = DocumentFile.objects.get()
    address = reverse("documents:file", args=[stored.pk, stored.name])
    client.logout()

    anonymous = client.get(address)
    client.force_login(UserFactory(email="no.member@example.org"))  # signed up, no confirmed affiliation
    other = client.get(address)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert "X-Amz" not in anonymous["Location"]
    assert other.status_code in (403, 404)
    assert "Location" not in other


def test_refused_upload_leaves_nothing_in_the_bucket(member_client, meeting, bucket):
    response = post_form(member_client, meeting, [upload("contribution.docx"), upload("setup.exe", EXE)])
    assert response.status_code == 200
    assert keys(bucket) == []
    assert DocumentFile.objects.count() == 0
