#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of scripts/pt-walk on synthetic page tables with known answers.

Prints one "[       OK ] test_name" or "[  FAILED  ] test_name" line per
case, as the cmocka tests do, for scripts/check to count.
"""

import os
import struct
import subprocess
import sys
import tempfile

WALK = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "..", "..", "scripts", "pt-walk")
P, W, U, A, D, PS, G = 1, 2, 4, 0x20, 0x40, 0x80, 0x100
NX = 1 << 63


class Memory:
    """Guest physical memory: 64 KiB of page tables and nothing else."""

    def __init__(self):
        self.data = bytearray(64 << 10)

    def set(self, table, index, entry):
        struct.pack_into("<Q", self.data, table + 8 * index, entry)

    def walk(self, cr3, cr4=0, skips=()):
        with tempfile.NamedTemporaryFile() as f:
            f.write(self.data)
            f.flush()
            cmd = [sys.executable, WALK, "--cr3", "%x" % cr3,
                   "--cr4", "%x" % cr4]
            for s, e in skips:
                cmd += ["--skip", "%x-%x" % (s, e)]
            res = subprocess.run(cmd + [f.name], capture_output=True,
                                 text=True, check=False)
        return res.returncode, res.stdout.splitlines(), res.stderr


def four_levels():
    """A user-half and a kernel-half mapping of every size."""
    m = Memory()
    m.set(0x1000, 0, 0x2000 | P | W | U)            # PML4[0]
    m.set(0x2000, 0, 0x3000 | P | W | U)            # PDPT[0]
    m.set(0x3000, 0, 0x4000 | P | W | U)            # PD[0] -> PT
    m.set(0x4000, 0, 0x5000 | P | W | A | D)        # 4K, writable
    m.set(0x4000, 2, 0x6000 | P | PS | NX | U)      # 4K, PAT bit, NX
    m.set(0x3000, 1, 0x200000 | P | W | PS | A)     # 2M
    m.set(0x3000, 2, 0x400000 | W | PS)             # not present
    m.set(0x2000, 1, 0x40000000 | P | PS | G)       # 1G
    m.set(0x1000, 511, 0x7000 | P | W)              # PML4[511]
    m.set(0x7000, 510, 0x8000 | P | W)              # PDPT[510]
    m.set(0x8000, 0, 0x1e00000 | P | PS | G | NX)   # 2M, kernel text-like
    return m


FOUR = [
    "0000000000000000: 0000000000005000 ---DA---W",
    "0000000000002000: 0000000000006000 X------U-",
    "0000000000200000: 0000000000200000 --P-A---W",
    "0000000040000000: 0000000040000000 -GP------",
    "ffffffff80000000: 0000000001e00000 XGP------",
]


def test_four_levels():
    rc, out, err = four_levels().walk(0x1000 | 0x5)   # PCID bits ignored
    assert rc == 0, err
    assert out == FOUR, out


def test_skip_whole_entries_only():
    m = four_levels()
    rc, out, err = m.walk(0x1000, skips=[(0xffffff8000000000, 1 << 64)])
    assert rc == 0, err
    assert out == FOUR[:4], out
    # A range that covers part of a 2M leaf does not hide it.
    rc, out, err = m.walk(0x1000, skips=[(0x200000, 0x300000)])
    assert rc == 0, err
    assert out == FOUR, out
    rc, out, err = m.walk(0x1000, skips=[(0x200000, 0x400000)])
    assert out == FOUR[:2] + FOUR[3:], out


def test_five_levels():
    m = four_levels()
    m.set(0x9000, 1, 0x1000 | P | W)                # PML5[1]: 1 << 48
    m.set(0x9000, 511, 0xa000 | P | W)              # PML5[511]
    m.set(0xa000, 511, 0x7000 | P | W)
    rc, out, err = m.walk(0x9000, cr4=1 << 12)
    assert rc == 0, err
    want = ["%016x%s" % ((1 << 48) + int(line[:16], 16), line[16:])
            for line in FOUR[:4]]
    # PML5[1]'s PML4[511] is not canonical-extended: bit 56 is clear.
    want.append("0001ffff80000000" + FOUR[4][16:])
    want.append(FOUR[4])
    assert out == want, out


def test_table_outside_dump():
    m = Memory()
    m.set(0x1000, 0, 0x100000 | P)                  # beyond 64 KiB
    rc, out, err = m.walk(0x1000)
    assert rc != 0 and out == [], (rc, out)
    assert "outside the dump" in err, err


def main():
    failed = 0
    for name, fn in sorted(globals().items()):
        if not name.startswith("test_") or not callable(fn):
            continue
        try:
            fn()
            print("[       OK ] %s" % name)
        except AssertionError as e:
            failed += 1
            print("%s\n[  FAILED  ] %s" % (e, name))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
