"""Whether a secret key looks random enough for production; read by the settings before anything else."""

import math
from collections import Counter

MIN_LENGTH = 50
MIN_DISTINCT_CHARACTERS = 12  # a hex key has at most 16, and often all of them
MIN_ESTIMATED_BITS = 200  # a 64-character hex key estimates at about 240, secrets.token_urlsafe(64) at 460
MIN_DISTINCT_TRIGRAM_SHARE = 0.9  # repeated patterns ("Xy9-#Qz" six times) have few distinct trigrams
PLACEHOLDER_WORDS = ("secret", "insecure", "change", "example", "development", "default", "password")


def secret_key_weakness(key: str) -> str:
    """Why ``key`` is not fit for production, or "" when it looks like the output of a random generator.

    The estimate is the Shannon entropy of the key's own characters times its length: it cannot prove a
    key random, but it refuses the keys people type (few distinct characters, patterns, placeholders).
    """
    if len(key) < MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {MIN_LENGTH}"
    lowered = key.lower()
    for word in PLACEHOLDER_WORDS:
        if word in lowered:
            return f"it contains the placeholder word {word!r}"
    counts = Counter(key)
    if len(counts) < MIN_DISTINCT_CHARACTERS:
        return f"it uses {len(counts)} distinct characters, fewer than {MIN_DISTINCT_CHARACTERS}"
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_ESTIMATED_BITS:
        return f"its characters carry about {bits:.0f} bits, fewer than {MIN_ESTIMATED_BITS}"
    trigrams = {key[i : i + 3] for i in range(len(key) - 2)}
    if len(trigrams) < MIN_DISTINCT_TRIGRAM_SHARE * (len(key) - 2):
        return "it repeats a pattern"
    return ""
