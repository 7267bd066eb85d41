#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The documentation names only what exists: in README.md and docs/*.md every relative link
# resolves (a file, or a heading of the file for "#anchor"), every path under scripts/, tests/,
# docs/, dist/, tools/, src/ or include/ they name exists (globs match something), and every
# "make TARGET" in their code is a target of the Makefile. A word of capitals in a path is a
# placeholder (src/X.c, scripts/kernel-config/FLAVOUR.config) and matches any name; the
# kernel's own include/linux/ and include/asm/ are not this tree's. Prints "[       OK ] name" or
# "[  FAILED  ] name" per file and kind, as cmocka does. ROXPOOL_DOCS_ROOT overrides the tree.
# Backquotes in single quotes here are Markdown's, not the shell's:
# shellcheck disable=SC2016
set -u
here=$(cd "$(dirname "$0")" && pwd)
self=$here/${0##*/}
root=${ROXPOOL_DOCS_ROOT:-$(cd "$here/../.." && pwd)}
cd "$root" || exit 1
fails=0

# Documents and Makefile targets that may be named before they exist (none now).
pending=()
pending_targets=()

is_pending() {
	local p
	for p in "${pending[@]}"; do [ "$1" = "$p" ] && return 0; done
	return 1
}

is_pending_target() {
	local t
	for t in "${pending_targets[@]}"; do [ "$1" = "$t" ] && return 0; done
	return 1
}

# slugs FILE: the GitHub anchors of FILE's headings, one a line (code blocks skipped).
slugs() {
	awk '/^```/ { code = !code; next } !code && /^#+ / { sub(/^#+ +/, ""); print }' "$1" |
		tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9 _-]//g' -e 's/ /-/g'
}

# report KIND DOC ERRORS: one result line; ERRORS (one a line) empty means it passed.
report() {
	local name
	name=$1_$(tr '[:upper:]' '[:lower:]' <<<"$2" | tr -c 'a-z0-9\n' _)
	set -- "$name" "$3"
	if [ -z "$2" ]; then
		printf '[       OK ] test_%s\n' "$1"
	else
		printf '[  FAILED  ] test_%s\n' "$1"
		printf '  %s\n' "${2%$'\n'}" | sed 's/^  $//'
		fails=$((fails + 1))
	fi
}

# links DOC: every [text](target) that is not a URL, with its target resolved.
links() {
	local doc=$1 dir target file anchor errs=
	dir=$(dirname "$doc")
	while read -r target; do
		case $target in http://* | https://* | mailto:*) continue ;; esac
		file=${target%%#*}
		anchor=
		[ "$file" != "$target" ] && anchor=${target#*#}
		if [ -z "$file" ]; then
			file=$doc
		else
			file=$(realpath -m --relative-to="$root" "$dir/$file")
		fi
		if [ ! -e "$file" ]; then
			is_pending "$file" || errs+="$doc: link to $target: no $file"$'\n'
			continue
		fi
		if [ -n "$anchor" ] && [ -f "$file" ] && ! slugs "$file" | grep -qxF -- "$anchor"; then
			errs+="$doc: link to $target: no heading #$anchor in $file"$'\n'
		fi
	done < <(grep -oE '\]\([^)[:space:]]+\)' "$doc" | sed -e 's/^](//' -e 's/)$//')
	report links "$doc" "$errs"
}

# paths DOC: every path of the tree the document names.
paths() {
	local doc=$1 p errs=
	while read -r p; do
		p=${p%[.,:;]}
		case $p in "" | include/linux/* | include/asm/*) continue ;; esac
		# shellcheck disable=SC2001 # a regex, not a pattern
		p=$(sed -E 's/(^|[/._-])[A-Z]+([/._-]|$)/\1*\2/g' <<<"$p")
		case $p in
		*'*'* | *'?'*) compgen -G "$p" >/dev/null || errs+="$doc: $p matches nothing"$'\n' ;;
		*) [ -e "$p" ] || is_pending "$p" || errs+="$doc: no $p"$'\n' ;;
		esac
	done < <(grep -oE '(^|[^A-Za-z0-9_./~$-])(scripts|tests|docs|dist|tools|src|include)/[A-Za-z0-9_.*+/-]*' "$doc" |
		sed -E 's/^[^a-z]//' | sort -u)
	report paths "$doc" "$errs"
}

# targets DOC: "make TARGET" in inline code and in code blocks names a Makefile target.
targets() {
	local doc=$1 t errs=
	while read -r t; do
		grep -qE "^$t:" Makefile || is_pending_target "$t" || errs+="$doc: make $t: no such target"$'\n'
	done < <(
		{
			grep -oE '`make [^`]*`' "$doc" | tr -d '`'
			awk '/^```/ { code = !code; next } code' "$doc" | grep -oE '(^|[;&|(] *)make( [^#;&|]*)?'
		} | sed -E 's/^[;&|( ]*//' | while read -r _ rest; do
			# The first word that is neither an option nor a variable; none: the default.
			case " $rest " in *" -C "*) continue ;; esac
			for w in $rest; do
				case $w in -* | *=*) continue ;; esac
				printf '%s\n' "$w"
				break
			done
		done | grep -E '^[a-z][a-z0-9-]*$' | sort -u
	)
	report make_targets "$doc" "$errs"
}

for doc in README.md docs/*.md; do
	[ -f "$doc" ] || continue
	links "$doc"
	paths "$doc"
	targets "$doc"
done

# The check itself: a tree with a broken link, a missing script and an unknown target fails.
if [ -z "${ROXPOOL_DOCS_ROOT:-}" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/docs" "$tmp/scripts"
	printf 'all:\n' >"$tmp/Makefile"
	: >"$tmp/scripts/there"
	printf '# Top\n[ok](docs/a.md#a-heading) [ok](#top) `scripts/there` `make all`\n' >"$tmp/README.md"
	printf '# A heading\n' >"$tmp/docs/a.md"
	out=$(ROXPOOL_DOCS_ROOT=$tmp "$self")
	ok=$?
	for bad in '[x](docs/gone.md)' '[x](docs/a.md#no-such)' '`scripts/gone`' '`make gone`'; do
		printf '%s\n' "$bad" >"$tmp/docs/b.md"
		ROXPOOL_DOCS_ROOT=$tmp "$self" >/dev/null && ok=1
	done
	rm "$tmp/docs/b.md"
	if [ "$ok" = 0 ]; then
		printf '[       OK ] test_self_check\n'
	else
		printf '[  FAILED  ] test_self_check\n%s\n' "$out"
		fails=$((fails + 1))
	fi
fi

[ "$fails" = 0 ]
