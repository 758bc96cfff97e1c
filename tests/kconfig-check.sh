#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: kconfig-check.sh .config FRAGMENT...
# Fail when an option a fragment asks for did not make it into .config:
# merge_config.sh only warns, and a dropped option shows up much later as
# a guest that hangs or an event that is missing.
set -eu
config=$1
shift
bad=0
for frag in "$@"; do
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set)' \
		"$frag" | while IFS= read -r want; do
		grep -qxF "$want" "$config" || {
			echo "kconfig-check: $frag: '$want' is not in $config" >&2
			echo bad
		}
	done
done | grep -q bad && bad=1
[ $bad -eq 0 ] || exit 1
echo "kconfig-check: $config has every option of $*"
