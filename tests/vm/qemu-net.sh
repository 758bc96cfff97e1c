#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# QEMU options for the virtio-net benches: NICs wired by -netdev socket
# on 127.0.0.1 only, so that no frame leaves QEMU's loopback sockets.
#
# usage: qemu-net.sh free-port          a TCP port free on 127.0.0.1 now
#        qemu-net.sh pair [PORT]        one guest, two NICs back to back
#        qemu-net.sh listen PORT MAC [ID]   one NIC, the listening end
#        qemu-net.sh connect PORT MAC [ID]  one NIC, the connecting end
#
# ID (default nica, nicb) names the netdev: a guest with several NICs
# (the three-guest bench, run-threevms.sh) gives each its own.
#
# The guest scenarios find their NICs by MAC (tests/vm/guest/nic-lib.sh):
# 52:54:00:70:74:01 is A's end (198.51.100.1), ...:02 is B's end.
# romfile= keeps iPXE out: the guest boots with -kernel, never from a NIC.
set -eu

MAC_A=52:54:00:70:74:01
MAC_B=52:54:00:70:74:02

# Ask the kernel for a free port: bind port 0 and read what it gave.
# Another run may take it before QEMU does; the window is milliseconds,
# and QEMU then fails loudly ("Address already in use").
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

nic() {
	# nic ID MODE PORT MAC
	printf -- '-netdev socket,id=%s,%s=127.0.0.1:%s ' "$1" "$2" "$3"
	printf -- '-device virtio-net-pci,netdev=%s,mac=%s,romfile=' "$1" "$4"
}

case "${1:-}" in
free-port)
	free_port
	;;
pair)
	# QEMU creates the netdevs in command-line order: the listening
	# socket exists before the other NIC connects to it, in the same
	# process (the connect is non-blocking; the kernel's backlog
	# completes it before QEMU's main loop accepts)
	port=${2:-$(free_port)}
	nic nica listen "$port" $MAC_A
	printf ' '
	nic nicb connect "$port" $MAC_B
	echo
	;;
listen)
	nic "${4:-nica}" listen "$2" "$3"
	echo
	;;
connect)
	nic "${4:-nicb}" connect "$2" "$3"
	echo
	;;
*)
	echo "usage: qemu-net.sh free-port|pair [PORT]|listen PORT MAC [ID]|connect PORT MAC [ID]" >&2
	exit 2
	;;
esac
