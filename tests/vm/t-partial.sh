# SPDX-License-Identifier: GPL-2.0
# kernels: hook
# flavours: generic
# skip-lanes: debug
# (the debug kernels leave out amdgpu: see t-bigmod)
# modules: amdgpu
# vm-args: --mem 2G
#
# amdgpu's core text (about 7 MB) is pooled on a run of 2 MiB chunks, each
# its own read-only+executable PMD leaf.  Then a module pooled only in part:
# with the test build's "run" fault armed, the run for amdgpu's core text
# fails half way (its first chunk is made and given back) and the text falls
# back to the kernel, counted as run_broken, while its init text is pooled.
# The kernel's own module_enable_text_rox() would have flagged the chunk
# holding the init text for a permission reset on free
# (set_vm_flush_reset_perms()), and when the chunk went back, vfree() would
# have reset its direct-map alias 4 KiB at a time, splitting it.  roxpool
# makes only the unpooled text ROX the kernel's way.  Checked from outside:
# after every chunk is given back, the host's view of the guest's page
# tables still maps each chunk's memory in the direct map with one large
# page.
. /rp/lib.sh

CENSUS=$RP_DEBUGFS/census
F=/sys/module/roxpool/parameters/fault_inject
# field MODULE N: column N of the module's census line.
field() { awk -v m="$1" -v n="$2" '$1 == m { print $n }' $CENSUS; }

modules_save /tmp/base
stats_save /tmp/before
modprobe amdgpu || fail "modprobe amdgpu (no hardware needed: it registers its PCI driver)"
check "amdgpu loaded" grep -q '^amdgpu ' /proc/modules
core=$(field amdgpu 2)
lim=$(((core + 2097151) / 2097152))
log "amdgpu: core text $core bytes, $(field amdgpu 5) 4K and $(field amdgpu 6) 2M translations"
expect_eq "amdgpu's core text is pooled" "$(field amdgpu 4)" yes
expect_eq "... on no 4 KiB translation" "$(field amdgpu 5)" 0
expect_ge "... on at most ceil(text / 2 MiB) + 1 2 MiB translations" $((lim + 1)) "$(field amdgpu 6)"
expect_eq "no text fell back as too large" "$(stat_delta pool_fallback_too_large /tmp/before)" 0
expect_eq "census: W+X pages" "$(census wx_pages)" 0
expect_eq "every chunk one PMD leaf" "$(stat pool_chunks_split)" 0
kernel_wx "amdgpu pooled"
cat $RP_DEBUGFS/chunks
check "every chunk's alias read-only and large (4K: debug_pagealloc)" \
	sh -c "! awk -v small=$RP_DIRECT_MAP_4K '\$2 != \"pmd\" || (\$6 == \"4K\" && !small) || \$7 != \"ro\"' $RP_DEBUGFS/chunks | grep -q ."
check_drained /tmp/base /tmp/before

# Pooled in part: the run breaks half way, the core text falls back.  (The
# empty run stays for a few seconds and would take amdgpu again: wait for
# it to go, all but the spare.)
spare() { [ "$(stat pool_chunks)" -le 1 ]; }
check "chunks given back, at most one spare" wait_for 30 spare
stats_save /tmp/before
echo run > $F
modprobe amdgpu || fail "modprobe amdgpu with the run fault"
echo none > $F
expect_eq "amdgpu's core text is not pooled" "$(field amdgpu 4)" no
expect_ge "a run broken half way fell back" \
	"$(stat_delta pool_fallback_run_broken /tmp/before)" 1
expect_ge "its dependencies and init text were pooled" "$(stat_delta pool_allocs /tmp/before)" 2
expect_eq "census: W+X pages" "$(census wx_pages)" 0
expect_eq "census: chunk aliases writable" "$(census chunk_alias_writable)" 0
expect_eq "no chunk leaked" "$(stat pool_chunks_leaked)" 0
expect_chunks_mapped "the broken run's first chunk given back"
kernel_wx "modules loaded"
cp $RP_DEBUGFS/chunks /tmp/chunks
cat /tmp/chunks
check "every chunk's alias read-only and large (4K: debug_pagealloc)" \
	sh -c "! awk -v small=$RP_DIRECT_MAP_4K '(\$6 == \"4K\" && !small) || \$7 != \"ro\"' /tmp/chunks | grep -q ."

check_drained /tmp/base /tmp/before
rmmod roxpool || fail "rmmod roxpool (gives every chunk back)"

# The host's view: each former chunk's direct-map address is mapped by a
# 2 MiB or 1 GiB page (flags column: NX Global PSE ...), not by 4 KiB pages.
rp-host tlb > /tmp/tlb.txt || fail "rp-host tlb"
n=0
[ "$RP_DIRECT_MAP_4K" = 0 ] || {
	log "debug_pagealloc: the direct map is 4K everywhere; no large alias to check"
	finish
}
while read -r _ _ _ _ _ _ _ alias; do
	va=$(printf '%016x' "$alias")
	page2m=$(printf '%016x' $((alias & ~0x1fffff)))
	page1g=$(printf '%016x' $((alias & ~0x3fffffff)))
	line=$(grep -m1 -e "^$page2m: [0-9a-f]* ..P" -e "^$page1g: [0-9a-f]* ..P" /tmp/tlb.txt)
	log "alias $va: ${line:-not a large page: $(grep -m1 "^$va:" /tmp/tlb.txt)}"
	[ -n "$line" ] || fail "chunk memory at $va is mapped by 4K pages after release"
	n=$((n + 1))
done < /tmp/chunks
expect_ge "released chunks checked" "$n" 1
finish
