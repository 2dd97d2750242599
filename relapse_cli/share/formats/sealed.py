"""Sealing an export with a passphrase: the age format (age-encryption.org/v1), via pyrage.

Why age rather than AES-GCM with scrypt from ``cryptography``: age is a published, versioned
file format with an scrypt passphrase recipient and authenticated encryption
(ChaCha20-Poly1305 in 64 KiB chunks), so a sealed export opens with any age tool
(``age -d``, ``rage -d``), not only with relapse-cli; a home-made AES-GCM container would be
readable by this program alone. A wrong passphrase or a changed byte fails authentication.
pyrage encrypts with a passphrase only from memory, so a sealed export is built in memory
(fine for a journal; the benchmark figures in the README are for plain exports).
"""

from __future__ import annotations

from relapse_cli.core.errors import BadInput, EnvironmentFault

MAGIC = b"age-encryption.org/v1"
ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"


def is_sealed(data: bytes) -> bool:
    return data.startswith(MAGIC) or data.lstrip().startswith(ARMOR)


def _pyrage():  # noqa: ANN202
    try:
        from pyrage import passphrase
    except ImportError:  # pragma: no cover - pyrage is a runtime dependency
        raise EnvironmentFault("sealing needs the pyrage package", "pip install pyrage") from None
    return passphrase


def seal(data: bytes, secret: str) -> bytes:
    return _pyrage().encrypt(data, secret)


def unseal(data: bytes, secret: str, source: str) -> bytes:
    passphrase = _pyrage()
    try:
        return passphrase.decrypt(data, secret)
    except Exception:  # pyrage.DecryptError; also a damaged file
        raise BadInput(f"cannot open {source}: wrong passphrase, or the file was changed") from None
