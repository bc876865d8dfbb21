"""The private S3-compatible bucket that holds stored files in production (see ``sg17portal.storage``).

Its own module, so that boto3 is imported only by processes whose settings name a bucket.
"""

import threading

from django.conf import settings
from storages.backends.s3 import S3Storage
from storages.utils import clean_name


class PrivateS3Storage(S3Storage):
    """A private bucket; presigned URLs are signed for the address browsers use (``AWS_S3_PUBLIC_ENDPOINT_URL``)."""

    default_acl = None
    file_overwrite = False
    querystring_auth = True

    def __init__(self, **options):
        self.public_endpoint_url = getattr(settings, "AWS_S3_PUBLIC_ENDPOINT_URL", "") or ""
        self._public_clients = threading.local()
        super().__init__(**options)

    def _public_client(self):
        client = getattr(self._public_clients, "client", None)
        if client is None:
            client = self._create_session().client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.public_endpoint_url,
                config=self.client_config,
                verify=self.verify,
            )
            self._public_clients.client = client
        return client

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not self.public_endpoint_url:
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        params = {**(parameters or {}), "Bucket": self.bucket_name, "Key": self._normalize_name(clean_name(name))}
        return self._public_client().generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
            HttpMethod=http_method,
        )
