#!/usr/bin/env python3
"""Randomized differential test: seeded sequences of calls, valid and
invalid alike, written as scenarios and compared by `pagesim compare`.

A sequence mixes the VirtualAlloc family at fixed addresses in a sandbox
range with sections and views: CreateFileMapping (sizes, protections,
SEC_* attributes, names), MapViewOfFile and MapViewOfFileEx (access,
offsets, sizes, bases in the sandbox or none), UnmapViewOfFile at any
address inside a view, CloseHandle, VirtualProtect, VirtualAlloc,
VirtualQuery and VirtualFree on views, reads and writes through several
views of one section, and FILE_MAP_COPY. Between them, a write-watch
allocation lives in a granule of its own: commits, protection changes,
decommits, writes to its read-write pages, VirtualLock and VirtualUnlock
of those pages (both backends agree there: Wine's mlock knows neither
the commit rule nor ERROR_NOT_LOCKED), GetWriteWatch and
ResetWriteWatch (valid and invalid flags, ranges and counts), a release
and a new one. Those choices come from a random stream of their own, so
the other calls of a seed are the ones they were before write watch was
added.
And files: CreateFile (accesses,
share modes, dispositions), WriteFile, ReadFile, SetFilePointer,
SetEndOfFile, GetFileSize, CreateFileMapping on a file (sizes from the file
or larger, protections against the file's access), views of it with reads
and writes seen through other views and through ReadFile, FlushViewOfFile,
from a stream of their own too. And the working-set calls on
GetCurrentProcess()'s pseudo-handle (EmptyWorkingSet, SetProcessWorkingSetSize
emptying the working set or setting sizes that keep the default minimum),
from a stream of their own: a trimmed page reads back the same on both.
And process handles, from a stream of their own: OpenProcess of the
process making the calls ("main") or of no process, with rights that hold
PROCESS_QUERY_INFORMATION or not, VirtualQueryEx and GetProcessMemoryInfo
through those handles, GetCurrentProcess() and handles of no process,
CloseHandle, GetCurrentProcess itself and GetProcessWorkingSetSize.

usage: random_diff.py --out DIR [--seeds A-B] [--length N]
           writes DIR/random/SEED.scn and prints their paths
       random_diff.py --sim PAGESIM [--win32 PAGESIM.EXE [--wine WINE]]
                      [--known FILE] [--seeds A-B] [--length N] [--keep DIR] [-j N]
           writes them and runs PAGESIM compare on them (with --win32 "WINE
           PAGESIM.EXE"; without --win32, PAGESIM must be a Windows build,
           which runs both backends itself)
Each seed gives the same scenario on every machine. CI runs seeds 1-300; a
longer run is e.g. --seeds 20000-20499. The exit status is pagesim
compare's: 0 when every difference is known and no rule is stale.
"""
import argparse
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile

SANDBOX = 0x10000000      # 16 granules that are free in a fresh process on
GRANULES = 16             # Windows and under Wine alike
# Views placed with MapViewOfFileEx go in the sandbox's last granules, from
# VIEW_GRANULE on: no VirtualAlloc of a sequence reaches them (a
# reservation starts below VIEW_GRANULE - 3 and spans at most 3 granules
# and a bit), so the generator knows which of them its views hold.
VIEW_GRANULE = 12

# PAGE_NOCACHE is left out: Wine 8 drops it from what VirtualQuery reports
# (see mm/invalid-flags.scn and known-differences).
PROTECTS = ["PAGE_NOACCESS", "PAGE_READONLY", "PAGE_READWRITE", "PAGE_EXECUTE", "PAGE_EXECUTE_READ",
            "PAGE_EXECUTE_READWRITE", "PAGE_READWRITE|PAGE_GUARD", "PAGE_READONLY|PAGE_GUARD"]
# Invalid arguments that Windows and Wine both refuse. Two that Wine 8
# accepts, PAGE_NOACCESS|PAGE_GUARD and MEM_RESET|MEM_COMMIT, are left out:
# an allocation Windows refuses would make every later statement differ.
# Scenarios show them (mm/invalid-flags.scn), with known-differences entries.
BAD_PROTECTS = ["0", "PAGE_WRITECOPY", "PAGE_READONLY|PAGE_READWRITE", "PAGE_GUARD", "0x1000"]
TYPES = ["MEM_RESERVE", "MEM_COMMIT", "MEM_RESERVE|MEM_COMMIT", "MEM_COMMIT", "MEM_COMMIT"]
BAD_TYPES = ["0", "MEM_DECOMMIT", "0x40"]

# Sections. The protections a page-file-backed section may have, and some
# it may not; the SEC_* attributes alone and combined (Wine's
# test_CreateFileMapping lists which Windows accepts).
SECTION_PROTECTS = ["PAGE_READONLY", "PAGE_READWRITE", "PAGE_READWRITE", "PAGE_WRITECOPY", "PAGE_EXECUTE_READ",
                    "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY"]
BAD_SECTION_PROTECTS = ["PAGE_NOACCESS", "PAGE_EXECUTE", "0", "PAGE_READWRITE|PAGE_GUARD",
                        "PAGE_READONLY|PAGE_READWRITE"]
# SEC_COMMIT|SEC_LARGE_PAGES is left out: Wine 8 makes the section without
# the privilege Windows asks for, and every later statement on it would
# differ (sections/attributes.scn shows it, with its known difference).
SEC_ATTRS = ["SEC_COMMIT", "SEC_RESERVE", "SEC_COMMIT|SEC_NOCACHE", "SEC_RESERVE|SEC_NOCACHE",
             "SEC_COMMIT|SEC_WRITECOMBINE", "SEC_RESERVE|SEC_WRITECOMBINE", "SEC_NOCACHE", "SEC_WRITECOMBINE",
             "SEC_LARGE_PAGES", "SEC_IMAGE", "SEC_IMAGE|SEC_COMMIT", "SEC_COMMIT|SEC_RESERVE", "SEC_FILE"]
ACCESSES = ["FILE_MAP_READ", "FILE_MAP_WRITE", "FILE_MAP_ALL_ACCESS", "FILE_MAP_COPY", "FILE_MAP_READ",
            "FILE_MAP_WRITE", "FILE_MAP_COPY", "FILE_MAP_READ|FILE_MAP_WRITE", "FILE_MAP_EXECUTE|FILE_MAP_READ",
            "FILE_MAP_EXECUTE|FILE_MAP_WRITE", "FILE_MAP_EXECUTE|FILE_MAP_COPY", "0"]
# Protections for VirtualProtect and VirtualAlloc on views: those a view
# may take (within its access) and those it may not.
VIEW_PROTECTS = ["PAGE_NOACCESS", "PAGE_READONLY", "PAGE_READWRITE", "PAGE_WRITECOPY", "PAGE_EXECUTE",
                 "PAGE_EXECUTE_READ", "PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY",
                 "PAGE_READONLY|PAGE_GUARD", "PAGE_READWRITE|PAGE_GUARD"]


def address(rng, granules=GRANULES):
    base = SANDBOX + rng.randrange(granules) * 0x10000
    r = rng.random()
    if r < 0.5:
        return base
    if r < 0.85:
        return base + rng.randrange(16) * 0x1000
    return base + rng.randrange(0x10000)


def size(rng):
    r = rng.random()
    if r < 0.05:
        return 0
    if r < 0.1:
        return 0xFFFFF000
    if r < 0.5:
        return rng.randrange(1, 5) * 0x1000
    if r < 0.8:
        return rng.randrange(1, 0x30000)
    return rng.randrange(1, 4) * 0x10000


def protect(rng):
    return rng.choice(BAD_PROTECTS) if rng.random() < 0.08 else rng.choice(PROTECTS)


WATCH_FLAGS = ["0", "0", "WRITE_WATCH_FLAG_RESET", "2"]
WATCH_COUNTS = [64, 64, 1, 2, 3, 0]


class WatchArea:
    """A write-watch allocation in a granule no other statement touches,
    with the state the generator needs to write only where a write
    succeeds: Wine 8 marks a page written when a write to it raises an
    access violation (dlls/ntdll/unix/virtual.c, virtual_handle_fault,
    clears VPROT_WRITEWATCH before it looks at the access), which Windows,
    whose write never happened, does not; so no write here faults."""

    def __init__(self, rng, granule):
        self.rng = rng
        self.granule = granule
        self.base = None       # the allocation, or None: none yet
        self.pages = 0
        self.writable = set()  # committed PAGE_READWRITE pages
        self.locked = set()    # pages locked with VirtualLock

    def run(self, pages):
        """A run of consecutive pages of pages, as (first, count)."""
        lo = self.rng.choice(sorted(pages))
        hi = lo
        while hi + 1 in pages and self.rng.random() < 0.7:
            hi += 1
        return lo, hi - lo + 1

    def lock(self):
        """VirtualLock of read-write pages, or VirtualUnlock of locked ones."""
        rng = self.rng
        if self.locked and rng.random() < 0.4:
            lo, n = self.run(self.locked)
            self.locked.difference_update(range(lo, lo + n))
            return f"VirtualUnlock(0x{self.base + lo * 0x1000:08X}, 0x{n * 0x1000:X})"
        if not self.writable:
            return f"GetWriteWatch(0, 0x{self.base:08X}, 0x{self.pages * 0x1000:X}, 64)"
        lo, n = self.run(self.writable)
        self.locked.update(range(lo, lo + n))
        return f"VirtualLock(0x{self.base + lo * 0x1000:08X}, 0x{n * 0x1000:X})"

    def pick_range(self):
        first = self.rng.randrange(self.pages)
        return first, self.rng.randrange(first, self.pages) + 1

    def statement(self):
        rng = self.rng
        if self.base is None:
            self.base = self.granule()
            self.pages = rng.randrange(1, 17)
            t = "MEM_RESERVE|MEM_WRITE_WATCH"
            if rng.random() < 0.5:
                t = "MEM_RESERVE|MEM_COMMIT|MEM_WRITE_WATCH"
                self.writable = set(range(self.pages))
            else:
                self.writable = set()
            return f"VirtualAlloc(0x{self.base:08X}, 0x{self.pages * 0x1000:X}, {t}, PAGE_READWRITE)"
        r = rng.random()
        a, b = self.pick_range()
        at, n = self.base + a * 0x1000, (b - a) * 0x1000
        if r < 0.12:
            p = rng.choice(["PAGE_READWRITE", "PAGE_READWRITE", "PAGE_READONLY"])
            if p == "PAGE_READWRITE":
                self.writable.update(range(a, b))
            else:
                self.writable.difference_update(range(a, b))
                self.locked.difference_update(range(a, b))  # not written to again: no lock tracked
            return f"VirtualAlloc(0x{at:08X}, 0x{n:X}, MEM_COMMIT, {p})"
        if r < 0.2 and self.writable:
            # Only a committed range: VirtualProtect fails on reserved pages.
            lo = min(self.writable)
            hi = lo
            while hi + 1 in self.writable:
                hi += 1
            p = rng.choice(["PAGE_READONLY", "PAGE_READWRITE", "PAGE_NOACCESS"])
            if p != "PAGE_READWRITE":
                self.writable.difference_update(range(lo, hi + 1))
                self.locked.difference_update(range(lo, hi + 1))
            return f"VirtualProtect(0x{self.base + lo * 0x1000:08X}, 0x{(hi - lo + 1) * 0x1000:X}, {p})"
        if r < 0.26:
            self.writable.difference_update(range(a, b))
            self.locked.difference_update(range(a, b))
            return f"VirtualFree(0x{at:08X}, 0x{n:X}, MEM_DECOMMIT)"
        if r < 0.5 and self.writable:
            page = rng.choice(sorted(self.writable))
            off = rng.randrange(0x1000)
            span = 2 if page + 1 in self.writable else 1
            if rng.random() < 0.3:
                return f"touch 0x{self.base + page * 0x1000:08X} 0x{span * 0x1000:X} write"
            if span == 2 and rng.random() < 0.3:
                off = 0xFFE
            return f"write 0x{self.base + page * 0x1000 + min(off, span * 0x1000 - 2):08X} \"ww\""
        if r < 0.52:
            base, self.base = self.base, None
            self.locked = set()
            return f"VirtualFree(0x{base:08X}, 0, MEM_RELEASE)"
        if r < 0.64:
            return self.lock()
        if r < 0.72:
            if rng.random() < 0.15:
                n = 0 if rng.random() < 0.5 else n + 0x1000  # a size of 0, or past the end
            return f"ResetWriteWatch(0x{at:08X}, 0x{n:X})"
        if rng.random() < 0.1:
            n = 0 if rng.random() < 0.5 else (self.pages + 1) * 0x1000
        elif rng.random() < 0.2:
            at += rng.randrange(0x1000)  # a base inside a page: the page counts
        return f"GetWriteWatch({rng.choice(WATCH_FLAGS)}, 0x{at:08X}, 0x{n:X}, {rng.choice(WATCH_COUNTS)})"

def private_statement(rng, spare_granule):
    """A VirtualAlloc-family call or an access in the sandbox.
    spare_granule() gives a granule above the sandbox that no other
    statement of the sequence touches."""
    r = rng.random()
    a = address(rng)
    if r < 0.30:
        a = address(rng, VIEW_GRANULE - 3)
        t = rng.choice(BAD_TYPES) if rng.random() < 0.06 else rng.choice(TYPES)
        if rng.random() < 0.05:
            t = "MEM_RESET"
        p = protect(rng)
        if t == "MEM_RESERVE":
            # Wine 8 applies a reservation's PAGE_GUARD to its uncommitted
            # pages (an access raises a guard-page exception and changes the
            # page's state); Windows leaves reserved pages inaccessible.
            # Keep the states comparable.
            p = p.replace("|PAGE_GUARD", "")
        return f"VirtualAlloc(0x{a:08X}, 0x{size(rng):X}, {t}, {p})"
    if r < 0.42:
        kind = rng.random()
        if kind < 0.1:
            # A range past the top of user space from inside an allocation
            # (the granule is reserved now, by this call or before it):
            # the order of the checks shows (see known-differences).
            a = address(rng, VIEW_GRANULE - 3)
            g = a & ~0xFFFF
            t = rng.choice(["MEM_DECOMMIT", "MEM_RELEASE"])
            # Wine 8 wraps the size and releases or decommits what Windows
            # keeps (see known-differences): in a granule of its own, which
            # no later statement looks at, so that only this call differs.
            g = spare_granule()
            a = g + (a & 0xFFFF)
            return (f"VirtualAlloc(0x{g:08X}, 0x10000, MEM_RESERVE, PAGE_READWRITE)\n"
                    f"VirtualFree(0x{a:08X}, 0xFFFFF000, {t})")
        if kind < 0.5:
            return f"VirtualFree(0x{a & ~0xFFFF:08X}, 0, MEM_RELEASE)"
        if kind < 0.9:
            return f"VirtualFree(0x{a:08X}, 0x{size(rng):X}, MEM_DECOMMIT)"
        return f"VirtualFree(0x{a:08X}, 0x{size(rng):X}, {rng.choice(['0', 'MEM_RELEASE', 'MEM_DECOMMIT|MEM_RELEASE'])})"
    if r < 0.55:
        # No sizes that wrap past 4 GB here: Wine 8 wraps them into a small
        # range and succeeds (see mm/bad-ranges.scn and known-differences).
        return f"VirtualProtect(0x{a:08X}, 0x{min(size(rng), 0x40000):X}, {protect(rng)})"
    if r < 0.72:
        return f"VirtualQuery(0x{a:08X})"
    if r < 0.82:
        return f"read 0x{a:08X} {rng.randrange(1, 9)}"
    # Writes stay below the view granules: a write there could reach a
    # reserved page of a SEC_RESERVE view, which Wine 8 lets through (see
    # Sequence), and put data Windows would refuse into a page committed
    # later.
    views = SANDBOX + VIEW_GRANULE * 0x10000
    w = a if a < views else a - (GRANULES - VIEW_GRANULE) * 0x10000
    if r < 0.92:
        if rng.random() < 0.5:
            return f'write 0x{min(w, views - 4):08X} "pg{rng.randrange(100)}"'
        n = rng.randrange(1, 5)
        return f"write 0x{min(w, views - n):08X} 0x{rng.randrange(256):02X} {n}"
    n = rng.randrange(1, 0x5000)
    how = rng.choice(['read', 'write'])
    if how == "write":
        return f"touch 0x{w:08X} 0x{min(n, views - w):X} write"
    return f"touch 0x{a:08X} 0x{n:X} read"


# What a page-file-backed section may be, and how a view's access maps to a
# protection and to the section rights it needs (Wine's kernel32 tests
# test_CreateFileMapping and test_mapping, which pass on Windows).
VALID_SEC_ATTRS = {"", "SEC_COMMIT", "SEC_RESERVE", "SEC_COMMIT|SEC_NOCACHE", "SEC_RESERVE|SEC_NOCACHE",
                   "SEC_COMMIT|SEC_WRITECOMBINE", "SEC_RESERVE|SEC_WRITECOMBINE"}
SECTION_RIGHTS = {"PAGE_READONLY": "r", "PAGE_WRITECOPY": "r", "PAGE_READWRITE": "rw",
                  "PAGE_EXECUTE_READ": "rx", "PAGE_EXECUTE_WRITECOPY": "rx", "PAGE_EXECUTE_READWRITE": "rwx"}


def view_protect(access):
    """The protection a view of this FILE_MAP_* access has, as rights."""
    bits = set(access.split("|"))
    x = "x" if "FILE_MAP_EXECUTE" in bits else ""
    bits.discard("FILE_MAP_EXECUTE")
    if bits == {"FILE_MAP_COPY"}:
        return "r" + x
    if bits & {"FILE_MAP_WRITE", "FILE_MAP_ALL_ACCESS"}:
        return "rw" + x
    if "FILE_MAP_READ" in bits:
        return "r" + x
    return ""


# The rights a protection asks for (Wine's test_mapping, page_prot_to_access).
PROTECT_RIGHTS = {"PAGE_NOACCESS": "", "PAGE_READONLY": "r", "PAGE_WRITECOPY": "r", "PAGE_READWRITE": "rw",
                  "PAGE_EXECUTE": "rx", "PAGE_EXECUTE_READ": "rx", "PAGE_EXECUTE_WRITECOPY": "rx",
                  "PAGE_EXECUTE_READWRITE": "rwx"}


def view_rights(access):
    """The section rights a view of this FILE_MAP_* access needs: what the
    view may do, and at least reading."""
    return view_protect(access) or "r"


# Files. Most opens share reading and writing, so that most sequences keep
# several handles on a file; the others test sharing.
FILE_ACCESSES = ["GENERIC_READ|GENERIC_WRITE"] * 5 + ["GENERIC_READ", "GENERIC_WRITE", "0",
                                                     "GENERIC_READ|GENERIC_WRITE|GENERIC_EXECUTE", "GENERIC_ALL"]
FILE_SHARES = ["FILE_SHARE_READ|FILE_SHARE_WRITE"] * 6 + ["0", "FILE_SHARE_READ", "FILE_SHARE_WRITE",
                                                        "FILE_SHARE_READ|FILE_SHARE_WRITE|FILE_SHARE_DELETE"]
DISPOSITIONS = ["OPEN_ALWAYS"] * 4 + ["CREATE_ALWAYS", "CREATE_NEW", "OPEN_EXISTING", "TRUNCATE_EXISTING"]
FILE_NAMES = ["a.bin", "b.bin", "c.bin"]


def file_rights(access):
    """The rights a GENERIC_* access gives, as r, w and x."""
    if "GENERIC_ALL" in access:
        return "rwxd"
    return "".join(c for c, g in (("r", "GENERIC_READ"), ("w", "GENERIC_WRITE"), ("x", "GENERIC_EXECUTE"))
                   if g in access)


class File:
    def __init__(self, name):
        self.name, self.size, self.exists = name, 0, False


class Section:
    def __init__(self, name, protect, attrs, size, file=None, opened=None):
        self.name, self.protect, self.attrs, self.size = name, protect, attrs, size
        # A file's section: the file, and the (rights, share) it holds it
        # open with; its size is in bytes (a view's writes stay below it,
        # so that no byte past the end of the file is ever written).
        self.file, self.opened = file, opened
        self.handles = 0       # open handles (a named section's name lives while there is one)
        # SEC_RESERVE: the pages committed so far (VirtualAlloc in a view).
        self.sparse = "SEC_RESERVE" in attrs
        self.committed = set()


class Sequence:
    """One sequence's sections and views, as the generator expects them to
    be on Windows: it predicts which calls succeed, and works through the
    views it expects to exist (a view that failed would be NULL, and the
    statements through it would test addresses near 0 instead).

    A handle is written by name and never used after it was closed (on
    Windows its value may be reused by the next handle). A view placed by
    the system lands wherever the process has room, which differs between
    Windows and the simulator; its name is used only while it is mapped. A
    view placed in the sandbox may be used after it is unmapped (the
    sandbox is the same on both).

    A view of a SEC_RESERVE section is named r1, r2, ... (others v1, v2,
    ...): Wine lets a program read its pages that are only reserved, which
    Windows does not, and the known difference names those views. The
    generator follows which of such a section's pages are committed and
    writes only to those, so that no data Windows would refuse reaches a
    page committed later."""

    def __init__(self, rng, seed):
        self.rng = rng
        self.seed = seed
        # Write watch draws from its own stream (see the module's comment).
        self.watch_rng = random.Random(seed * 1000003 + 17)
        self.watch_granules = 0
        self.watch = WatchArea(self.watch_rng, self.watch_granule)
        self.handles = []      # [name, Section or None (expected to fail), open]
        self.sections = []
        self.views = []        # [name, Section, span, mapped, in sandbox, base, access, offset, reset]
        self.nh = self.nv = 0
        self.spares = 0        # granules given out by spare_granule
        # Pages whose contents MEM_RESET made undefined (MSDN VirtualAlloc:
        # "does not guarantee that the range ... will contain zeros"):
        # Windows keeps the data while the page stays in the working set,
        # Wine 8 drops it (private pages read zeros, copied pages of a
        # FILE_MAP_COPY view the section's data again). Such pages are
        # touched, not read, so both backends' answers compare.
        self.reset_pages = set()
        # Files: their own random stream and their own sections, handles
        # and views, so that the rest of a sequence is the one it was
        # before files were added (the file statements go in between).
        self.frng = random.Random(seed * 7919 + 1)
        self.files = [File(n) for n in FILE_NAMES]
        self.fhandles = []     # [name, File or None (expected to fail), open, rights, share]
        self.fsections, self.fmaps, self.fviews = [], [], []   # fviews: [name, Section, span, mapped, access, offset]
        self.nfm = self.nfv = 0
        self.heaps = Heaps(rng)
        # The working-set calls: a stream of their own too.
        self.ws_rng = random.Random(seed * 104729 + 3)
        # Process handles: a stream of their own.
        self.procs = Processes(random.Random(seed * 15485863 + 11))

    # Files. ----------------------------------------------------------------

    def live_sections(self, f):
        return [s for s in self.fsections if s.file is f and
                (any(m[2] and m[1] is s for m in self.fmaps) or any(v[3] and v[1] is s for v in self.fviews))]

    def sharing_ok(self, f, rights, share, truncate):
        """Whether an open of f with these rights and share mode passes the
        sharing checks (and, emptying it, is not refused for a mapping), in
        the order Windows and Wine make them."""
        shared = {"FILE_SHARE_READ", "FILE_SHARE_WRITE", "FILE_SHARE_DELETE"}
        held = ""
        for h in self.fhandles:
            if h[2] and h[1] is f and any(c in h[3] for c in "rwxd"):
                shared &= set(h[4].split("|"))
                held += h[3]
        need = {"FILE_SHARE_READ": "rx", "FILE_SHARE_WRITE": "w", "FILE_SHARE_DELETE": "d"}
        if any(any(c in rights for c in cs) and flag not in shared for flag, cs in need.items()):
            return False
        live = self.live_sections(f)
        if "FILE_SHARE_WRITE" not in share and any(s.protect in ("PAGE_READWRITE", "PAGE_EXECUTE_READWRITE")
                                                   for s in live):
            return False
        if truncate and live:
            return False
        if not any(c in rights for c in "rwxd"):
            return True
        return not any(any(c in held for c in cs) and flag not in share.split("|") for flag, cs in need.items())

    def create_file(self):
        rng = self.frng
        f = rng.choice(self.files)
        access, share, disp = rng.choice(FILE_ACCESSES), rng.choice(FILE_SHARES), rng.choice(DISPOSITIONS)
        rights = file_rights(access)
        ok = not ((disp == "CREATE_NEW" and f.exists) or (disp in ("OPEN_EXISTING", "TRUNCATE_EXISTING")
                  and not f.exists))
        truncate = f.exists and disp in ("CREATE_ALWAYS", "TRUNCATE_EXISTING")
        ok = ok and self.sharing_ok(f, rights, share, truncate)
        if ok:
            f.exists = True
            if truncate:
                f.size = 0
        h = f"f{len(self.fhandles) + 1}"
        self.fhandles.append([h, f if ok else None, ok, rights, share])
        return (f'{h} = CreateFile("{f.name}", {access}, {share}, NULL, {disp}, FILE_ATTRIBUTE_NORMAL, NULL)')

    def file_handle(self, right=""):
        hs = [h for h in self.fhandles if h[2] and right in h[3]]
        return self.frng.choice(hs) if hs else None

    def file_mapping(self):
        rng = self.frng
        h = self.file_handle()
        if not h:
            return self.create_file()
        f = h[1]
        p = rng.choice(BAD_SECTION_PROTECTS) if rng.random() < 0.05 else rng.choice(SECTION_PROTECTS)
        if "EXECUTE" in p and "x" not in h[3] and p in SECTION_RIGHTS:
            # Windows wants GENERIC_EXECUTE for an EXECUTE_ section of a
            # file (CreateFileMapping's documentation); Wine 8 does not ask,
            # and every later statement on the section would differ.
            # files/file-errors.scn shows it, with its known difference.
            p = {"PAGE_EXECUTE_READ": "PAGE_READONLY", "PAGE_EXECUTE_READWRITE": "PAGE_READWRITE",
                 "PAGE_EXECUTE_WRITECOPY": "PAGE_WRITECOPY"}[p]
        r = rng.random()
        low = 0 if r < 0.5 else rng.randrange(1, 0x30000) if r < 0.8 else rng.randrange(1, 9) * 0x1000
        need = SECTION_RIGHTS.get(p, "")
        ok = f is not None and p in SECTION_RIGHTS and all(c in h[3] for c in need)
        writes = p in ("PAGE_READWRITE", "PAGE_EXECUTE_READWRITE")
        ok = ok and bool(f.size if not low else (low <= f.size or writes))
        self.nfm += 1
        name = f"m{self.nfm}"
        sec = None
        if ok:
            size = low or f.size
            f.size = max(f.size, size)
            sec = Section(None, p, "", size, f)
            sec.handles = 1
            self.fsections.append(sec)
        self.fmaps.append([name, sec, True])
        return f"{name} = CreateFileMapping({h[0]}, NULL, {p}, 0, 0x{low:X}, NULL)"

    def file_view(self):
        rng = self.frng
        ms = [m for m in self.fmaps if m[2]]
        if not ms:
            return self.file_mapping()
        m = rng.choice(ms)
        sec = m[1]
        size = sec.size if sec else 0x1000
        access = rng.choice(ACCESSES)
        off = 0 if rng.random() < 0.8 else 0x10000
        sz = 0 if rng.random() < 0.6 else rng.randrange(1, size + 1)
        ok = (sec is not None and set(view_rights(access)) <= set(SECTION_RIGHTS[sec.protect])
              and off < size and off + sz <= size)
        self.nfv += 1
        v = f"fv{self.nfv}"
        if ok:
            span = ((sz or size - off) + 0xFFF) & ~0xFFF
            self.fviews.append([v, sec, span, True, access, off])
        return f"{v} = MapViewOfFile({m[0]}, {access}, 0, 0x{off:X}, 0x{sz:X})"

    def file_view_access(self):
        """A read, a write or a flush through a view of a file: writes stay
        below the section's end (no byte past the file's end is written),
        reads and flushes inside the view."""
        rng = self.frng
        vs = [v for v in self.fviews if v[3]]
        if not vs:
            return self.file_view()
        v = rng.choice(vs)
        off = rng.randrange(v[2]) if rng.random() < 0.5 else rng.randrange(v[2] // 0x1000) * 0x1000
        at = v[0] if off == 0 else f"{v[0]}+0x{off:X}"
        r = rng.random()
        n = min(rng.randrange(1, 9), v[2] - off)
        if r < 0.4 and v[5] + off + n <= v[1].size:
            return f"write {at} 0x{rng.randrange(256):02X} {n}"
        if r < 0.5:
            return f"FlushViewOfFile({at}, 0x{rng.choice([0, 1, v[2] - off]):X})"
        if r < 0.55:
            v[3] = False
            return f"UnmapViewOfFile({at})"
        return f"read {at} {n}"

    def file_statement(self):
        rng = self.frng
        r = rng.random()
        if r < 0.1 or not any(h[2] for h in self.fhandles):
            return self.create_file()
        if r < 0.2:
            return self.file_mapping()
        if r < 0.3:
            return self.file_view()
        if r < 0.5:
            return self.file_view_access()
        if r < 0.53:
            ms = [m for m in self.fmaps if m[2]]
            if ms:
                m = rng.choice(ms)
                m[2] = False
                return f"CloseHandle({m[0]})"
        h = self.file_handle() or self.fhandles[-1]
        if r < 0.62:
            if rng.random() < 0.6:
                return f'WriteFile({h[0]}, "w{rng.randrange(100, 1000)}", 4, NULL)'
            return f"WriteFile({h[0]}, 0x{rng.randrange(256):02X}, 0x{rng.randrange(1, 0x2400):X}, NULL)"
        if r < 0.74:
            n = rng.randrange(1, 0x40) if rng.random() < 0.8 else rng.randrange(1, 0x3000)
            return f"ReadFile({h[0]}, 0x{n:X}, NULL)"
        if r < 0.85:
            method = rng.choice(["FILE_BEGIN", "FILE_BEGIN", "FILE_CURRENT", "FILE_END"])
            d = rng.choice([0, 0x10, 0x1000, 0x2345, 0x10000, 0x21000, -0x10, -0x1000])
            dist = f"0x{d:X}" if d >= 0 else f"0-0x{-d:X}"
            return f"SetFilePointer({h[0]}, {dist}, NULL, {method})"
        if r < 0.91:
            # Only through a handle that may write: Wine 8 sets the end of a
            # file through one opened with no access at all, and the file's
            # size would differ from then on (files/file-errors.scn shows a
            # read-only handle's error).
            w = self.file_handle("w")
            return f"SetEndOfFile({w[0]})" if w else f"GetFileSize({h[0]}, NULL)"
        if r < 0.96:
            return f"GetFileSize({h[0]}, NULL)"
        h[2] = False
        return f"CloseHandle({h[0]})"

    # Sections. ------------------------------------------------------------

    def spare_granule(self):
        self.spares += 1
        return SANDBOX + (GRANULES + self.spares) * 0x10000

    def new_name(self):
        return f"pagesim-{self.seed}-s{sum(1 for s in self.sections if s.name)}"

    def section_args(self):
        rng = self.rng
        p = rng.choice(BAD_SECTION_PROTECTS) if rng.random() < 0.08 else rng.choice(SECTION_PROTECTS)
        attrs = rng.choice(SEC_ATTRS) if rng.random() < 0.3 else ""
        r = rng.random()
        # No sizeHigh: a section over 4 GB is created or not depending on
        # the host's commit limit (Wine creates it; Windows charges it).
        if r < 0.05:
            high, low = 0, 0
        elif r < 0.5:
            high, low = 0, rng.randrange(1, 9) * 0x1000
        elif r < 0.8:
            high, low = 0, rng.randrange(1, 0x30000)
        else:
            high, low = 0, rng.randrange(1, 5) * 0x10000
        return p, attrs, high, low

    def create(self):
        rng = self.rng
        p, attrs, high, low = self.section_args()
        valid = p in SECTION_RIGHTS and attrs in VALID_SEC_ATTRS and not high and low
        alive = [s for s in self.sections if s.name and s.handles]
        gone = [s for s in self.sections if s.name and not s.handles
                and not any(a.name == s.name for a in alive)]
        r = rng.random()
        if r < 0.15 and alive:
            # The existing section, asked for with its own arguments (what
            # Windows does with others is not modelled here).
            sec = rng.choice(alive)
            p, attrs, name, valid = sec.protect, sec.attrs, sec.name, True
            high, low = 0, sec.size if rng.random() < 0.5 else low or 0x1000
        else:
            # The name of a section whose handles are all closed names
            # nothing any more (even while views of it remain): a new one.
            name = rng.choice(gone).name if r < 0.22 and gone else self.new_name() if r < 0.55 else None
            sec = Section(name, p, attrs, (low + 0xFFF) & ~0xFFF)
            self.sections.append(sec)
        flags = p + ("|" + attrs if attrs else "")
        self.nh += 1
        h = f"h{self.nh}"
        if valid:
            sec.handles += 1
        self.handles.append([h, sec if valid else None, True])
        quoted = f'"{name}"' if name else "NULL"
        return f"{h} = CreateFileMapping(INVALID_HANDLE_VALUE, NULL, {flags}, {high}, 0x{low:X}, {quoted})"

    def open_handles(self):
        return [h for h in self.handles if h[2]]

    def close(self):
        hs = self.open_handles()
        if not hs:
            return self.create()
        h = self.rng.choice(hs)
        h[2] = False
        if h[1]:
            h[1].handles -= 1
        return f"CloseHandle({h[0]})"

    def reset(self, first, last):
        """MEM_RESET of the pages first..last (addresses): those pages, and
        every view placed on them, hold undefined data from now on."""
        self.reset_pages.update(range(first >> 12, (last >> 12) + 1))
        for v in self.views:
            if v[4] and v[5] <= last and first < v[5] + v[2]:
                v[8] = True

    def defined(self, statement):
        """statement, with a read of undefined data turned into a touch."""
        m = re.fullmatch(r"read (0x[0-9A-F]+) (\d+)", statement)
        if m:
            a, n = int(m.group(1), 16), int(m.group(2))
            if any(p in self.reset_pages for p in range(a >> 12, ((a + n - 1) >> 12) + 1)):
                return f"touch {m.group(1)} 0x{n:X} read"
        return statement

    # Views. ----------------------------------------------------------------

    def view_base(self, span):
        """A base in the view granules where a view of span bytes ends in
        the sandbox, or None when none does; and whether the view is
        expected to fit there (a base in use or not on 64 KB is not)."""
        rng = self.rng
        top = SANDBOX + GRANULES * 0x10000
        granules = [g for g in range(VIEW_GRANULE, GRANULES) if SANDBOX + g * 0x10000 + span <= top]
        if not granules:
            return None, True
        base = SANDBOX + rng.choice(granules) * 0x10000
        if rng.random() < 0.1:
            return base + rng.choice([0x1000, 0x8000]), False
        end = base + span
        free = not any(v[3] and v[4] and v[5] < end and base < v[5] + v[2] for v in self.views)
        return base, free

    def map(self):
        rng = self.rng
        hs = self.open_handles()
        if not hs:
            return self.create()
        h = rng.choice(hs)
        sec = h[1]
        sec_size = sec.size if sec else 0x1000
        access = rng.choice(ACCESSES)
        r = rng.random()
        off = 0 if r < 0.75 else 0x10000 if r < 0.9 else rng.choice([0x1000, 0x20000, 0x100000])
        r = rng.random()
        if r < 0.45:
            sz = 0
        elif r < 0.8:
            sz = rng.randrange(1, 5) * 0x1000
        elif r < 0.95:
            sz = rng.randrange(1, sec_size + 1)
        else:
            sz = sec_size + rng.randrange(1, 0x2000)
        span = ((sz if sz else sec_size - off) + 0xFFF) & ~0xFFF
        ok = (sec is not None and set(view_rights(access)) <= set(SECTION_RIGHTS[sec.protect])
              and off % 0x10000 == 0 and off < sec_size and off + sz <= sec_size)
        self.nv += 1
        v = f"{'r' if sec and sec.sparse else 'v'}{self.nv}"
        r = rng.random()
        base = None
        if r < 0.45:
            call = f"MapViewOfFile({h[0]}, {access}, 0, 0x{off:X}, 0x{sz:X})"
        elif r < 0.55:
            call = f"MapViewOfFileEx({h[0]}, {access}, 0, 0x{off:X}, 0x{sz:X}, NULL)"
        else:
            base, free = self.view_base(max(span, 0x1000))
            ok = ok and free
            where = f"0x{base:08X}" if base is not None else "NULL"
            call = f"MapViewOfFileEx({h[0]}, {access}, 0, 0x{off:X}, 0x{sz:X}, {where})"
        if ok:
            self.views.append([v, sec, span, True, base is not None, base, access, off, False])
        return f"{v} = {call}"

    def usable_views(self):
        return [v for v in self.views if v[3] or v[4]]

    def view_offset(self, view):
        """An offset in view: its base, a page in it, or any byte in it."""
        rng = self.rng
        pages = max(view[2] // 0x1000, 1)
        r = rng.random()
        if r < 0.35:
            return 0
        if r < 0.8:
            return rng.randrange(pages) * 0x1000
        return rng.randrange(pages * 0x1000)

    def view_address(self, view, off=None):
        off = self.view_offset(view) if off is None else off
        return view[0] if off == 0 else f"{view[0]}+0x{off:X}"

    def room(self, view, off, n):
        """n, or less so that an access of n bytes at off stays in the view
        when the system placed it: past its end lies whatever the process
        has there, which is not the same on Windows and the simulator."""
        return n if view[4] else max(1, min(n, view[2] - off))

    def unmap(self):
        rng = self.rng
        vs = self.usable_views()
        if not vs or rng.random() < 0.05:
            return f"UnmapViewOfFile(0x{address(rng):08X})"
        v = rng.choice(vs)
        at = self.view_address(v)
        v[3] = False
        return f"UnmapViewOfFile({at})"

    def on_view(self):
        """A VirtualAlloc-family call or an access through a view."""
        rng = self.rng
        vs = self.usable_views()
        if not vs:
            return self.map()
        v = rng.choice(vs)
        off = self.view_offset(v)
        at = self.view_address(v, off)
        pages = max(v[2] // 0x1000, 1)
        sz = rng.randrange(1, pages + 1) * 0x1000 if rng.random() < 0.85 else rng.randrange(1, v[2] + 0x2000)
        r = rng.random()
        if r < 0.2:
            return f"VirtualQuery({at})"
        if r < 0.34:
            return f"VirtualProtect({at}, 0x{sz:X}, {rng.choice(VIEW_PROTECTS)})"
        if r < 0.42:
            t = rng.choice(["MEM_COMMIT", "MEM_COMMIT", "MEM_RESERVE", "MEM_RESET", "MEM_RESERVE|MEM_COMMIT"])
            if t == "MEM_COMMIT" and v[1] and v[1].sparse and "w" not in view_protect(v[6]):
                # Wine 8 records a commit in a SEC_RESERVE view for the
                # section only when the view can write; Windows commits the
                # section's pages through any view (they are the section's
                # prototype PTEs). sections/reserve.scn commits through a
                # writable view; here such a view is read from instead.
                return self.read_through(v)
            if not v[3] and "MEM_RESERVE" in t:
                # Where an unmapped view was, a reservation would take the
                # place the generator believes free for later views.
                t = "MEM_COMMIT"
            p = rng.choice(VIEW_PROTECTS[:8])
            first, last = off & ~0xFFF, (off + sz - 1) | 0xFFF
            if t == "MEM_RESET":
                v[8] = True
                if v[4]:
                    self.reset(v[5] + first, v[5] + last)
            if (t == "MEM_COMMIT" and v[3] and v[1].sparse and last < v[2]
                    and set(PROTECT_RIGHTS[p]) <= set(view_protect(v[6]))):
                v[1].committed.update(range((v[7] + first) >> 12, ((v[7] + last) >> 12) + 1))
            return f"VirtualAlloc({at}, 0x{sz:X}, {t}, {p})"
        if r < 0.47:
            t = rng.choice(["MEM_DECOMMIT", "MEM_RELEASE"])
            return f"VirtualFree({at}, 0x{0 if t == 'MEM_RELEASE' else sz:X}, {t})"
        if r < 0.62:
            if rng.random() < 0.6 and self.room(v, off, 4) == 4:
                if self.writable(v, off, 4):
                    return f'write {at} "s{rng.randrange(100, 1000)}"'
                return self.read_through(v)
            n = self.room(v, off, rng.randrange(1, 9))
            if not self.writable(v, off, n):
                return self.read_through(v)
            return f"write {at} 0x{rng.randrange(256):02X} {n}"
        if r < 0.9:
            return self.read_through(v)
        n = self.room(v, off, rng.randrange(1, v[2] + 1))
        how = rng.choice(['read', 'write'])
        if how == "write" and not self.writable(v, off, n):
            how = "read"
        return f"touch {at} 0x{n:X} {how}"

    def writable(self, v, off, n):
        """Whether a write of n bytes at off in view v may be made: in a
        view of a SEC_RESERVE section, only to pages known committed (and
        only while the view is mapped)."""
        if not v[1].sparse:
            return True
        if not v[3]:
            return False
        return all(p in v[1].committed for p in range((v[7] + off) >> 12, ((v[7] + off + n - 1) >> 12) + 1))

    def read_through(self, v):
        """A read, often through another view of the same section, at the
        offsets a write may have used."""
        rng = self.rng
        same = [w for w in self.usable_views() if w[1] is v[1] and w is not v]
        if same and rng.random() < 0.6:
            v = rng.choice(same)
        off = self.view_offset(v)
        n = self.room(v, off, rng.randrange(1, 9))
        if v[8]:
            return f"touch {self.view_address(v, off)} 0x{n:X} read"
        return f"read {self.view_address(v, off)} {n}"

    def watch_granule(self):
        """A granule for the write-watch allocation, apart from the spare
        ones (so the other calls' addresses are what they were)."""
        self.watch_granules += 1
        return SANDBOX + (GRANULES + 64 + self.watch_granules) * 0x10000

    def statement(self):
        rng = self.rng
        if rng.random() < 0.25:
            return self.heaps.statement()
        r = rng.random()
        if r < 0.40:
            lines = private_statement(rng, self.spare_granule).split("\n")
            for line in lines:
                m = re.fullmatch(r"VirtualAlloc\((0x[0-9A-F]+), (0x[0-9A-F]+), MEM_RESET, .*\)", line)
                if m and int(m.group(2), 16):
                    a = int(m.group(1), 16)
                    self.reset(a & ~0xFFF, (a + int(m.group(2), 16) - 1) | 0xFFF)
            return "\n".join(self.defined(line) for line in lines)
        if r < 0.47:
            return self.create()
        if r < 0.57:
            return self.map()
        if r < 0.61:
            return self.unmap()
        if r < 0.64:
            return self.close()
        return self.on_view()


class Heaps:
    """Heap and C-runtime statements: heaps hp1, hp2, ... made with
    HeapCreate, blocks hb3, ... of them, CRT blocks cm4, ... and
    Delphi blocks dg5, .... Every result is bound to a name, since the
    real heap's addresses are not the simulated one's; only the contents of
    blocks are read (their headers differ: Wine's heap is not XP's), and a
    block is written only inside the size asked for."""

    def __init__(self, rng):
        self.rng = rng
        self.heaps = []        # [name, live, maximum (0: growable), options]
        self.blocks = []       # [name, heap name, size, live]
        self.crt = []          # [name, size, live]
        self.delphi = []       # [name, live]
        self.n = 0

    def name(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def live_heaps(self):
        return [h for h in self.heaps if h[1]]

    def create(self):
        rng = self.rng
        opts = rng.choice(["0", "0", "HEAP_NO_SERIALIZE", "HEAP_GENERATE_EXCEPTIONS"])
        initial = rng.choice([0, 0, 0x1000, 0x10000])
        maximum = rng.choice([0, 0, 0, 0x10000, 0x40000])
        h = self.name("hp")
        self.heaps.append([h, True, maximum, opts])
        return f"{h} = HeapCreate({opts}, 0x{initial:X}, 0x{maximum:X})"

    def size(self):
        rng = self.rng
        r = rng.random()
        if r < 0.6:
            return rng.randrange(0, 200)
        if r < 0.9:
            return rng.randrange(200, 0x4000)
        if r < 0.97:
            return rng.randrange(0x80000, 0x200000)
        return 0xFFFFFFF0

    def used(self, h):
        """Bytes of h's live blocks, with a header each."""
        return sum(b[2] + 16 for b in self.blocks if b[1] == h[0] and b[3])

    def room(self, h, size):
        """Whether a block of size surely fits h: a fixed heap is kept under
        a quarter full (a block that does not fit would be NULL, and Windows
        faults on HeapSize of NULL), a growable one takes any request."""
        return not h[2] or self.used(h) + size + 16 <= h[2] // 4

    def alloc(self, h):
        rng = self.rng
        size = self.size()
        if h[2] and not self.room(h, size):
            size = 0xFFFFFFF0                 # a fixed heap: a request that fails
        flags = rng.choice(["0", "0", "HEAP_ZERO_MEMORY"])
        b = self.name("hb")
        if size != 0xFFFFFFF0:
            self.blocks.append([b, h[0], size, True])
        return f"{b} = HeapAlloc({h[0]}, {flags}, 0x{size:X})"

    def fill(self, name, size):
        n = min(size, 8)
        if not n:
            return None
        off = self.rng.randrange(0, size - n + 1)
        text = "".join(self.rng.choice("abcdefgh") for _ in range(n))
        return f'write {name} + 0x{off:X} "{text}"\nread {name} + 0x{off:X} {n}'

    def on_block(self, b):
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            b[3] = False
            return f"HeapFree({b[1]}, 0, {b[0]})"
        if r < 0.45:
            return f"HeapSize({b[1]}, 0, {b[0]})"
        if r < 0.6:
            heap = next(h for h in self.heaps if h[0] == b[1])
            size = rng.randrange(0, 0x2000) if heap[2] else self.size()
            if size == 0xFFFFFFF0 or not self.room(heap, size):
                # It fails: the block stays where it was, as it was.
                return f"HeapReAlloc({b[1]}, 0, {b[0]}, 0x7FFFFFF0)"
            n = self.name("hb")
            b[3] = False
            self.blocks.append([n, b[1], size, True])
            return f"{n} = HeapReAlloc({b[1]}, 0, {b[0]}, 0x{size:X})\nHeapSize({b[1]}, 0, {n})"
        if r < 0.7:
            return f"HeapValidate({b[1]}, 0, {b[0]})"
        return self.fill(b[0], b[2]) or f"HeapSize({b[1]}, 0, {b[0]})"

    def crt_statement(self):
        rng = self.rng
        live = [m for m in self.crt if m[2]]
        r = rng.random()
        if r < 0.4 or not live:
            size = rng.randrange(0, 300)
            m = self.name("cm")
            self.crt.append([m, size, True])
            return f"{m} = {'malloc' if r < 0.3 else 'calloc'}(0x{size:X}{'' if r < 0.3 else ', 1'})"
        m = rng.choice(live)
        if r < 0.6:
            m[2] = False
            return f"free({m[0]})"
        if r < 0.75:
            size = rng.randrange(1, 0x3000)
            n = self.name("cm")
            m[2] = False
            self.crt.append([n, size, True])
            return f"{n} = realloc({m[0]}, 0x{size:X})"
        return self.fill(m[0], m[1]) or f"free({m[0]})" if m[1] else f"free({m[0]})"

    def delphi_statement(self):
        rng = self.rng
        live = [d for d in self.delphi if d[1]]
        if live and rng.random() < 0.5:
            d = rng.choice(live)
            d[1] = False
            return f"FreeMemory({d[0]})"
        d = self.name("dg")
        self.delphi.append([d, True])
        size = rng.choice([0x100000, 0x100001, 0x2FFFFC, 0x400000 + rng.randrange(0, 0x4000)])
        return f"{d} = GetMemory(0x{size:X})\nread {d} - 4 4"

    def statement(self):
        rng = self.rng
        r = rng.random()
        heaps = self.live_heaps()
        if not heaps or r < 0.08:
            return self.create()
        if r < 0.13:
            h = rng.choice(heaps)
            h[1] = False
            for b in self.blocks:
                if b[1] == h[0]:
                    b[3] = False
            return f"HeapDestroy({h[0]})"
        if r < 0.16:
            return f"HeapValidate({rng.choice(heaps)[0]}, 0, 0)"
        if r < 0.18:
            # HeapWalk's count of busy entries: a heap that serializes and
            # grows holds its lookaside table as a busy block on XP, and
            # Wine's heap has none, so only the others are walked.
            plain = [h for h in heaps if h[3] == "HEAP_NO_SERIALIZE" or h[2]]
            if plain:
                return f"HeapWalk({rng.choice(plain)[0]})"
        if r < 0.28:
            return self.crt_statement()
        if r < 0.31:
            return self.delphi_statement()
        live = [b for b in self.blocks if b[3]]
        if r < 0.6 or not live:
            return self.alloc(rng.choice(heaps))
        return self.on_block(rng.choice(live))


def working_set_statement(rng):
    """A working-set call on GetCurrentProcess()'s pseudo-handle: emptying
    the working set (EmptyWorkingSet, or both sizes (SIZE_T)-1), which
    changes no page's contents or state as a call sees it, or new sizes
    whose minimum keeps at least 50 pages (the default), so VirtualLock's
    quota never drops below what the write-watch area may lock."""
    r = rng.random()
    if r < 0.4:
        return "EmptyWorkingSet(0xFFFFFFFF)"
    if r < 0.6:
        return "SetProcessWorkingSetSize(0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF)"
    lo = rng.randrange(50, 300)
    hi = rng.randrange(lo, 1000)
    return f"SetProcessWorkingSetSize(0xFFFFFFFF, 0x{lo * 0x1000:X}, 0x{hi * 0x1000:X})"


PROCESS_RIGHTS = ["PROCESS_QUERY_INFORMATION", "PROCESS_VM_READ", "PROCESS_ALL_ACCESS", "GENERIC_READ", "0",
                  "PROCESS_QUERY_INFORMATION|PROCESS_VM_READ", "MAXIMUM_ALLOWED", "PROCESS_SET_QUOTA",
                  "GENERIC_WRITE", "GENERIC_EXECUTE"]


class Processes:
    """OpenProcess, VirtualQueryEx and CloseHandle on process handles. Only
    open handles (or the NULL of a failed open) are used: a closed handle's
    value may come back for another handle in a different order on the two
    backends."""

    def __init__(self, rng):
        self.rng = rng
        self.handles = []   # [name, open]
        self.n = 0

    def statement(self):
        rng = self.rng
        live = [h for h in self.handles if h[1]]
        r = rng.random()
        if r < 0.3 or not live:
            self.n += 1
            name = f"proc{self.n}"
            target = "main" if rng.random() < 0.9 else "nosuch"
            self.handles.append([name, True])
            return f'{name} = OpenProcess({rng.choice(PROCESS_RIGHTS)}, {rng.choice(["FALSE", "TRUE"])}, "{target}")'
        if r < 0.85:
            q = rng.random()
            h = (rng.choice(live)[0] if q < 0.7 else "GetCurrentProcess()" if q < 0.85
                 else rng.choice(["0", "0xFFFFFFFE", "0x1234"]))
            if rng.random() < 0.15:
                return f"GetProcessMemoryInfo({h})"
            return f"VirtualQueryEx({h}, 0x{address(rng):08X})"
        if r < 0.92:
            h = rng.choice(live)
            h[1] = False
            return f"CloseHandle({h[0]})"
        # The pseudo-handle itself, and the sizes through it (Wine's are a stub).
        if rng.random() < 0.5:
            self.n += 1
            return f"proc{self.n} = GetCurrentProcess()"
        return "GetProcessWorkingSetSize(GetCurrentProcess())"


def scenario(seed, length):
    """length statements of memory and sections, and about a quarter as many
    on files (their own stream) merged in between at random places."""
    rng = random.Random(seed)
    seq = Sequence(rng, seed)
    lines = []
    calls = 0
    # length counts the other calls alone; write watch's and files' come on top.
    while calls < length:
        some = seq.statement().split("\n")[:length - calls]
        calls += len(some)
        lines += some
        if seq.watch_rng.random() < 0.2:
            lines += seq.watch.statement().split("\n")
        if seq.ws_rng.random() < 0.05:
            lines.append(working_set_statement(seq.ws_rng))
        if seq.procs.rng.random() < 0.08:
            lines.append(seq.procs.statement())
    files = []
    while len(files) < length // 4:
        files.append(seq.file_statement())
    merged, at = [], sorted(seq.frng.randrange(len(lines) + 1) for _ in files)
    k = 0
    for i, line in enumerate(lines + [None]):
        while k < len(files) and at[k] == i:
            merged.append(files[k])
            k += 1
        if line is not None:
            merged.append(line)
    head = [f"# random differential sequence, seed {seed}", "config layout=empty"]
    return "\n".join(head + merged) + "\n"


def parse_range(text):
    a, _, b = text.partition("-")
    return range(int(a), int(b or a) + 1)


def write_all(out, seeds, length):
    """Writes OUT/random/SEED.scn for every seed; returns their paths."""
    d = os.path.join(out, "random")
    os.makedirs(d, exist_ok=True)
    paths = []
    for seed in seeds:
        path = os.path.join(d, f"{seed}.scn")
        with open(path, "w") as f:
            f.write(scenario(seed, length))
        paths.append(path)
    return paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", help="only write the scenarios in OUT/random/")
    ap.add_argument("--sim", help="pagesim, which compares")
    ap.add_argument("--win32", help="a Windows build of pagesim")
    ap.add_argument("--wine", help="the emulator that runs it")
    ap.add_argument("--known")
    ap.add_argument("--seeds", default="1-300")
    ap.add_argument("--length", type=int, default=60)
    ap.add_argument("--keep", help="write the scenarios here (default: a temporary directory)")
    ap.add_argument("-j", type=int, default=2, help="Windows runs at a time")
    ap.add_argument("-q", action="store_true", help="show only unexplained differences")
    args = ap.parse_args()
    seeds = parse_range(args.seeds)
    if args.out:
        print("\n".join(write_all(args.out, seeds, args.length)))
        return 0
    if not args.sim:
        ap.error("--out DIR or --sim PAGESIM")
    tmp = args.keep or tempfile.mkdtemp(prefix="pagesim-random-")
    paths = write_all(tmp, seeds, args.length)
    cmd = [args.sim, "compare", f"-j{args.j}"]
    if args.known:
        cmd += ["--known", args.known]
    if args.win32:
        cmd += ["--win32", " ".join(shlex.quote(x) for x in ([args.wine] if args.wine else []) + [args.win32])]
    if args.q:
        cmd.append("-q")
    print(f"{len(paths)} sequences of {args.length} statements (seeds {args.seeds}) in {tmp}", flush=True)
    return subprocess.call(cmd + paths)


if __name__ == "__main__":
    sys.exit(main())
