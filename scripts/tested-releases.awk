# SPDX-License-Identifier: GPL-2.0
#
# tested-releases.awk: the header of the kernel releases roxpool is tested on, from
# scripts/kernels.conf ("awk -f scripts/tested-releases.awk scripts/kernels.conf"). Kbuild runs it
# at every build, DKMS's and the Debian package's included (both carry kernels.conf), and so do
# the unit tests. policy.c calls a kernel "tested" when its uname -r is one of these.
#
# A release is tested when the matrix boots it with roxpool hooking: every pinned "hook" kernel
# of the check and extra lanes, which are Debian's own packages, as their uname -r
# (VERSION-amd64: 6.12.118+deb12-amd64, 6.12.117+deb13-cloud-amd64). Left out: the debug lane's
# kernels (built by the harness with extra checkers; no user runs them), "native" kernels
# (roxpool does not hook there), and the entries that name the newest 6.12 of a suite
# (6.12.newest+deb12): a build cannot know what the archive will serve later. make check runs
# the whole suite on such a newest point and says so when kernels.conf does not pin it; it
# becomes "tested" with the commit that pins it.
BEGIN {
	print "/* SPDX-License-Identifier: GPL-2.0 */"
	print "/* Generated from scripts/kernels.conf by scripts/tested-releases.awk: do not edit. */"
	print "#define RP_TESTED_RELEASES \\"
}
{ sub(/#.*/, "") }
NF >= 5 && $4 == "hook" && ($5 == "check" || $5 == "extra") && $1 !~ /newest/ {
	printf "\t\"%s-amd64\", \\\n", $1
}
END { print "\t/* end of RP_TESTED_RELEASES */" }
