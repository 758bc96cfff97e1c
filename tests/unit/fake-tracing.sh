# SPDX-License-Identifier: GPL-2.0
# Sourced by tests/unit/make-trace.sh and bench/synth-flood.sh.
#
# fake_partial GEN TMP KALLSYMS: TMP/partial.dat, trace-cmd's file head
# for records of gen-trace.c (GEN), restored from a fake tracing
# directory (our net:ip_icmp format plus the running kernel's ftrace
# formats, which trace-cmd insists on) and the kallsyms file KALLSYMS.
fake_partial() {
	_gen=$1 _tmp=$2 _kallsyms=$3
	_tracing=/sys/kernel/tracing

	# the page and event headers are the running kernel's: a machine
	# that has not mounted tracefs yet has them once it is
	if [ ! -e "$_tracing/events/header_page" ]; then
		mount -t tracefs nodev "$_tracing" || {
			echo "fake-tracing: no tracefs at $_tracing" >&2
			return 1
		}
	fi

	mkdir -p "$_tmp/tracing/events/net/ip_icmp"
	"$_gen" format > "$_tmp/tracing/events/net/ip_icmp/format"
	cp "$_tracing/events/header_page" "$_tracing/events/header_event" \
		"$_tmp/tracing/events/"
	for _dir in "$_tracing"/events/ftrace/*/; do
		_name=$(basename "$_dir")
		mkdir -p "$_tmp/tracing/events/ftrace/$_name"
		cat "$_dir/format" > "$_tmp/tracing/events/ftrace/$_name/format"
	done
	printf '500 ping\n' > "$_tmp/tracing/saved_cmdlines"
	: > "$_tmp/tracing/printk_formats"
	(cd "$_tmp" && trace-cmd restore -c -t "$_tmp/tracing" \
		-k "$_kallsyms" -o "$_tmp/partial.dat" >/dev/null)
}
