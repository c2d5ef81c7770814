#!/usr/bin/env python3
"""Compares the packages two YUM repositories list in their primary metadata.

Usage: compare_repos.py REFERENCE CANDIDATE

Each argument is a repository directory (the one holding repodata/). The primary file named in
repodata/repomd.xml is decompressed with the command-line tools (gzip -dc, xz -dc, zstd -dc,
bzip2 -dc: whichever its first bytes call for) and its <package> entries are compared by name,
epoch, version, release, arch and location, and by checksum where both use the same type.
Prints one line; the exit status is 0 when both list the same packages, 1 when they differ or
a repository cannot be read."""

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

REPO = "{http://linux.duke.edu/metadata/repo}"
COMMON = "{http://linux.duke.edu/metadata/common}"

# First bytes of a compressed file -> the command that decompresses it to stdout.
DECOMPRESSORS = [
    (b"\x1f\x8b", ["gzip", "-dc"]),
    (b"\xfd7zXZ\x00", ["xz", "-dc"]),
    (b"\x28\xb5\x2f\xfd", ["zstd", "-dc"]),
    (b"BZh", ["bzip2", "-dc"]),
]


class Unreadable(Exception):
    pass


def primary_xml(repo):
    repomd = os.path.join(repo, "repodata", "repomd.xml")
    if not os.path.isfile(repomd):
        raise Unreadable(f"{repomd} is missing")
    try:
        root = ET.parse(repomd).getroot()
    except ET.ParseError as e:
        raise Unreadable(f"{repomd}: {e}")
    href = None
    for data in root.iter(REPO + "data"):
        if data.get("type") == "primary":
            location = data.find(REPO + "location")
            href = location.get("href") if location is not None else None
    if not href:
        raise Unreadable(f"{repomd} names no primary metadata")
    path = os.path.join(repo, href)
    if not os.path.isfile(path):
        raise Unreadable(f"{repomd} names {href}, which is missing")
    with open(path, "rb") as f:
        head = f.read(6)
    for magic, command in DECOMPRESSORS:
        if head.startswith(magic):
            if shutil.which(command[0]) is None:
                raise Unreadable(f"{href} needs {command[0]}, which is not installed")
            done = subprocess.run(command + [path], capture_output=True)
            if done.returncode != 0:
                raise Unreadable(f"{' '.join(command)} {href}: {done.stderr.decode(errors='replace').strip()}")
            return href, done.stdout
    with open(path, "rb") as f:
        return href, f.read()


def packages(repo):
    """The packages of a repository as {identity: checksum (type, value)} and the primary's
    own packages="N" attribute."""
    href, text = primary_xml(repo)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise Unreadable(f"{href}: {e}")
    found = {}
    entries = 0
    for p in root.iter(COMMON + "package"):
        entries += 1
        v = p.find(COMMON + "version")
        location = p.find(COMMON + "location")
        checksum = p.find(COMMON + "checksum")
        identity = (p.findtext(COMMON + "name"),
                    f"{v.get('epoch', '0')}:{v.get('ver')}-{v.get('rel')}" if v is not None else None,
                    p.findtext(COMMON + "arch"),
                    location.get("href") if location is not None else None)
        found[identity] = (checksum.get("type"), checksum.text) if checksum is not None else None
    if entries != len(found):
        raise Unreadable(f"{href} lists {entries} <package> entries but only {len(found)} distinct packages")
    declared = root.get("packages")
    if declared is not None and declared != str(entries):
        raise Unreadable(f"{href} says packages=\"{declared}\" but holds {entries} <package> entries")
    return found


def label(identity):
    name, evr, arch, location = identity
    return f"{name}-{evr}.{arch} ({location})"


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    reference, candidate = sys.argv[1:]
    try:
        want = packages(reference)
        have = packages(candidate)
    except Unreadable as e:
        print(f"cannot compare: {e}")
        return 1
    missing = sorted(set(want) - set(have))
    extra = sorted(set(have) - set(want))
    checksums = sorted(k for k in set(want) & set(have)
                       if want[k] and have[k] and want[k][0] == have[k][0] and want[k] != have[k])
    if not (missing or extra or checksums):
        print(f"same {len(want)} packages")
        return 0
    parts = [f"{len(want)} packages in the reference, {len(have)} in the candidate"]
    if missing:
        parts.append(f"{len(missing)} missing (first: {label(missing[0])})")
    if extra:
        parts.append(f"{len(extra)} extra (first: {label(extra[0])})")
    if checksums:
        parts.append(f"{len(checksums)} with another checksum (first: {label(checksums[0])})")
    print("; ".join(parts))
    return 1


if __name__ == "__main__":
    sys.exit(main())
