#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# usage: skb-offsets.sh KOBJ
#
# Print offsetof(struct sk_buff, data), of head and of network_header in
# the kernel built in KOBJ, as "skb_data=N", "skb_head=N" and
# "skb_network_header=N".  The kprobe events of make bench fetch the IP
# header through skb->data, its BPF program through skb->head +
# skb->network_header, and a kernel without debuginfo or BTF has no
# other way to tell where those fields live.  The offset is computed by the
# compiler with the exact command line that built net/ipv4/ip_output.o,
# the way the kernel makes asm-offsets.h.
set -eu

kobj=$(cd "${1:?usage: skb-offsets.sh KOBJ}" && pwd)
cmdfile=$kobj/net/ipv4/.ip_output.o.cmd
[ -f "$cmdfile" ] || { echo "skb-offsets: no $cmdfile" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/skb-offsets.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/offsets.c" <<'EOC'
#include <linux/kbuild.h>
#include <linux/skbuff.h>

void pingtrace_offsets(void);
void pingtrace_offsets(void)
{
	OFFSET(skb_data, sk_buff, data);
	OFFSET(skb_head, sk_buff, head);
	OFFSET(skb_network_header, sk_buff, network_header);
}
EOC

# the command without its dependency file and its input and output
cmd=$(sed -n 's/^savedcmd_net\/ipv4\/ip_output\.o := //p' "$cmdfile" |
      sed -e 's/-Wp,-MMD,[^ ]*//' -e 's/ -c -o .*$//')
[ -n "$cmd" ] || { echo "skb-offsets: cannot read $cmdfile" >&2; exit 1; }
(cd "$kobj" && eval "$cmd -S -o '$tmp/offsets.s' '$tmp/offsets.c'")
sed -n 's/^[[:space:]]*\.ascii "->\(skb_[a-z_]*\) \$*\([0-9]*\).*/\1=\2/p' \
	"$tmp/offsets.s" | grep . || {
	echo "skb-offsets: no offset in the compiler's output" >&2
	exit 1
}
