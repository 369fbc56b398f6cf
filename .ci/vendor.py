"""Fetch the browser assets the built site serves itself (see book/vendor.json).

Every page of the book must load nothing from another host, so MathJax, require.js and the
Jupyter widget manager are unpacked into book/_vendor/ and copied into the site by Sphinx.
Each tarball is checked against the npm registry's sha512 integrity hash before it is used.
Standard library only: this runs before anything is installed.

    python .ci/vendor.py            # fetch what is missing
    python .ci/vendor.py --check    # exit 1 if the unpacked tree is missing or stale
"""

import base64
import hashlib
import io
import json
import pathlib
import shutil
import sys
import tarfile
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "book" / "vendor.json"
TARGET = ROOT / "book" / "_vendor"
STAMP = TARGET / ".manifest-sha256"


def manifest_digest() -> str:
    return hashlib.sha256(MANIFEST.read_bytes()).hexdigest()


def is_current() -> bool:
    return STAMP.exists() and STAMP.read_text().strip() == manifest_digest()


def wanted(member: str, strip: str, keep: list[str]) -> str | None:
    """The path under the package's destination, or None if the member is not kept.

    A keep entry ending in "/" keeps a folder, one starting with "." keeps a file ending,
    anything else keeps one file.
    """
    if not member.startswith(strip):
        return None
    relative = member[len(strip):]
    for rule in keep:
        if rule.endswith("/") and relative.startswith(rule):
            return relative
        if rule.startswith(".") and "/" not in relative and relative.endswith(rule):
            return relative
        if relative == rule:
            return relative
    return None


def fetch(package: dict) -> bytes:
    with urllib.request.urlopen(package["tarball"], timeout=120) as response:
        data = response.read()
    algorithm, expected = package["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        sys.exit(f"{package['name']}@{package['version']}: integrity mismatch, refusing to use it")
    return data


def unpack(package: dict, data: bytes) -> int:
    dest = TARGET / package["dest"]
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            relative = wanted(member.name, package["strip"], package["keep"])
            if relative is None or not member.isfile():
                continue
            path = dest / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(archive.extractfile(member).read())
            count += 1
    if count == 0:
        sys.exit(f"{package['name']}: no files matched {package['keep']}")
    return count


def main() -> None:
    if "--check" in sys.argv:
        sys.exit(0 if is_current() else 1)
    if is_current():
        print(f"vendored assets are current ({TARGET.relative_to(ROOT)})")
        return
    shutil.rmtree(TARGET, ignore_errors=True)
    for package in json.loads(MANIFEST.read_text())["packages"]:
        count = unpack(package, fetch(package))
        print(f"vendored {package['name']}@{package['version']}: {count} files")
    STAMP.write_text(manifest_digest() + "\n")


if __name__ == "__main__":
    main()
