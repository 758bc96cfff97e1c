#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: kconfig-check.sh .config FRAGMENT...
# Fail when an option a fragment asks for did not make it into .config:
# merge_config.sh only warns, and a dropped option shows up much later as
# a guest that hangs or an event that is missing.  As in merge_config.sh,
# a later fragment overrides what an earlier one says of the same option.
set -eu
config=$1
shift
for frag in "$@"; do
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' \
		"$frag" | sed "s|^|$frag	|"
done | awk -F'	' '
	{
		opt = $2
		sub(/^# /, "", opt)
		sub(/[= ].*/, "", opt)
		if (!(opt in want))
			order[n++] = opt
		want[opt] = $2
		from[opt] = $1
	}
	END {
		for (i = 0; i < n; i++)
			print from[order[i]] "\t" want[order[i]]
	}' > "$config.want"
bad=0
while IFS='	' read -r frag want; do
	grep -qxF "$want" "$config" && continue
	# an option whose dependencies are off is not in .config at all
	case $want in
	"# CONFIG_"*" is not set")
		opt=${want#\# }
		opt=${opt% is not set}
		grep -q "^$opt=\|^# $opt is not set" "$config" || continue
		;;
	esac
	echo "kconfig-check: $frag: '$want' is not in $config" >&2
	bad=1
done < "$config.want"
rm -f "$config.want"
[ $bad -eq 0 ] || exit 1
echo "kconfig-check: $config has every option of $*"
