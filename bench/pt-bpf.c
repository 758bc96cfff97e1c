// SPDX-License-Identifier: GPL-2.0
/*
 * pt-bpf: the BPF kprobe program of make bench, without LLVM.
 *
 * What pwru and retis do, the way a tool without BTF can: a BPF program
 * on the entry of ip_output() and of ip_rcv() finds the IP header at
 * skb->head + skb->network_header, keeps ICMP only, follows IHL to the
 * ICMP header and sends the direction, the addresses, the ICMP type, id
 * and seq (host order, as net:ip_icmp has them) to user space through a
 * BPF ring buffer, which this program drains.
 *
 * It is hand-assembled and loaded with the raw bpf(2) and
 * perf_event_open(2) system calls, attached through the kprobe PMU as
 * libbpf and bpftrace attach theirs.  With no LLVM it starts in
 * milliseconds, so that make bench attaches it before each flood and
 * detaches it after, in every round's rotation with the other modes;
 * bpftrace takes up to 2 s of guest time to start under QEMU's -icount
 * (bench/run.sh) and comes in an 85 MB initramfs.  What runs per packet
 * is what a libbpf tool's compiled program would run: four
 * bpf_probe_read_kernel() calls (skb->head, skb->network_header, the IP
 * header, the ICMP header) and one bpf_ringbuf_output() of 16 bytes,
 * without bpftrace's printf through a perf buffer.
 *
 * usage: pt-bpf [-l] [-n RECORDS] [-s SAMPLES] SKB_HEAD SKB_NETWORK_HEADER
 *
 *   SKB_HEAD, SKB_NETWORK_HEADER  offsetof() in struct sk_buff
 *                                 (bench/skb-offsets.sh)
 *   -n RECORDS  the ring buffer holds this many records (default 65536)
 *   -l          drain the ring buffer whenever it has data, as a tracing
 *               tool does; by default it is drained only when asked
 *               (SIGUSR1), as make bench reads the trace buffer of the
 *               tracepoint after each flood
 *   -s SAMPLES  write the first records, as text, to this file
 *
 * Prints "READY" once both probes are attached, then on each SIGUSR1
 * drains the buffer and prints "records N dropped D": the records read
 * since the start, and those the program could not reserve room for.
 * SIGINT or SIGTERM drain, print the same line and exit.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <stddef.h>
#include <arpa/inet.h>
#include <asm/ptrace.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>

#define SAMPLES_MAX	4

/* What the program sends per packet */
struct pt_bpf_record {
	uint32_t saddr;		/* network order */
	uint32_t daddr;
	uint8_t dir;		/* 0: SND (ip_output), 1: RCV (ip_rcv) */
	uint8_t type;
	uint16_t id;		/* host order */
	uint16_t seq;
	uint16_t pad;
};

struct ringbuf {
	int fd;
	size_t size;		/* data bytes, a power of two */
	size_t page;
	unsigned long *cons_pos;
	void *prod;		/* producer page, then the data twice */
};

struct env {
	int live;
	unsigned long records;
	const char *samples;
	int skb_head;
	int skb_network_header;
};

struct state {
	unsigned long read;
	FILE *samples;
	int sampled;
};

/* ---- the program ---------------------------------------------------- */

struct prog {
	struct bpf_insn insn[128];
	int n;
	int out[16];		/* jumps to the exit, patched at the end */
	int nout;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src,
		 int16_t off, int32_t imm)
{
	struct bpf_insn *i;

	if (p->n == sizeof(p->insn) / sizeof(p->insn[0]))
		abort();	/* the program outgrew insn[] */
	i = &p->insn[p->n++];

	i->code = code;
	i->dst_reg = dst;
	i->src_reg = src;
	i->off = off;
	i->imm = imm;
}

/* r1 = r10 + dst; r2 = size; r3 = src + off; r0 = probe_read_kernel() */
static void emit_read(struct prog *p, int dst, int size, int src, int off)
{
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_10, 0, 0);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, dst);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_2, 0, 0, size);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, src, 0, 0);
	if (off)
		emit(p, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_3, 0, 0, off);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_probe_read_kernel);
}

/* if (reg != imm) goto out */
static void emit_jne_out(struct prog *p, int reg, int imm)
{
	p->out[p->nout++] = p->n;
	emit(p, BPF_JMP | BPF_JNE | BPF_K, reg, 0, 0, imm);
}

static void emit_map_fd(struct prog *p, int reg, int fd)
{
	emit(p, BPF_LD | BPF_DW | BPF_IMM, reg, BPF_PSEUDO_MAP_FD, 0, fd);
	emit(p, 0, 0, 0, 0, 0);
}

/* the stack: the IP header, the ICMP header, the record */
#define FP_HEAD		(-8)
#define FP_NH		(-16)
#define FP_IP		(-40)	/* 20 bytes */
#define FP_ICMP		(-48)	/* 8 bytes */
#define FP_REC		(-64)	/* struct pt_bpf_record */
#define FP_KEY		(-72)
#define REC(field)	(FP_REC + (int)offsetof(struct pt_bpf_record, field))

/* dropped[0] += 1, when the ring buffer had no room */
static void emit_count_drop(struct prog *p, int drops_fd)
{
	emit(p, BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, FP_KEY, 0);
	emit_map_fd(p, BPF_REG_1, drops_fd);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, FP_KEY);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem);
	p->out[p->nout++] = p->n;
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_1, 0, 0, 1);
	emit(p, BPF_STX | BPF_DW | BPF_ATOMIC, BPF_REG_0, BPF_REG_1, 0,
	     BPF_ADD);
}

/* the 16-bit field at FP_ICMP + from, to host order, at to */
static void emit_be16(struct prog *p, int from, int to)
{
	emit(p, BPF_LDX | BPF_MEM | BPF_H, BPF_REG_1, BPF_REG_10,
	     FP_ICMP + from, 0);
	emit(p, BPF_ALU | BPF_END | BPF_TO_BE, BPF_REG_1, 0, 0, 16);
	emit(p, BPF_STX | BPF_MEM | BPF_H, BPF_REG_10, BPF_REG_1, to, 0);
}

/*
 * The program for one function: arg is the offset of the skb argument
 * in struct pt_regs, dir the record's direction.
 */
static void build_prog(struct prog *p, const struct env *env, int arg,
		       int dir, int rb_fd, int drops_fd)
{
	int i;

	memset(p, 0, sizeof(*p));
	/* r7 = skb */
	emit(p, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_7, BPF_REG_1, arg, 0);
	emit_read(p, FP_HEAD, 8, BPF_REG_7, env->skb_head);
	emit_jne_out(p, BPF_REG_0, 0);
	emit_read(p, FP_NH, 2, BPF_REG_7, env->skb_network_header);
	emit_jne_out(p, BPF_REG_0, 0);
	/* r8 = iph = head + network_header */
	emit(p, BPF_LDX | BPF_MEM | BPF_DW, BPF_REG_8, BPF_REG_10, FP_HEAD, 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_H, BPF_REG_1, BPF_REG_10, FP_NH, 0);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_8, BPF_REG_1, 0, 0);
	emit_read(p, FP_IP, 20, BPF_REG_8, 0);
	emit_jne_out(p, BPF_REG_0, 0);
	/* ICMP only */
	emit(p, BPF_LDX | BPF_MEM | BPF_B, BPF_REG_1, BPF_REG_10, FP_IP + 9, 0);
	emit_jne_out(p, BPF_REG_1, IPPROTO_ICMP);
	/* r8 = icmp = iph + ihl * 4 */
	emit(p, BPF_LDX | BPF_MEM | BPF_B, BPF_REG_1, BPF_REG_10, FP_IP, 0);
	emit(p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_1, 0, 0, 15);
	emit(p, BPF_ALU64 | BPF_LSH | BPF_K, BPF_REG_1, 0, 0, 2);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_8, BPF_REG_1, 0, 0);
	emit_read(p, FP_ICMP, 8, BPF_REG_8, 0);
	emit_jne_out(p, BPF_REG_0, 0);
	/* the record */
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_10, FP_IP + 12, 0);
	emit(p, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, BPF_REG_1,
	     REC(saddr), 0);
	emit(p, BPF_LDX | BPF_MEM | BPF_W, BPF_REG_1, BPF_REG_10, FP_IP + 16, 0);
	emit(p, BPF_STX | BPF_MEM | BPF_W, BPF_REG_10, BPF_REG_1,
	     REC(daddr), 0);
	emit(p, BPF_ST | BPF_MEM | BPF_B, BPF_REG_10, 0,
	     REC(dir), dir);
	emit(p, BPF_LDX | BPF_MEM | BPF_B, BPF_REG_1, BPF_REG_10, FP_ICMP, 0);
	emit(p, BPF_STX | BPF_MEM | BPF_B, BPF_REG_10, BPF_REG_1,
	     REC(type), 0);
	emit_be16(p, 4, REC(id));
	emit_be16(p, 6, REC(seq));
	emit(p, BPF_ST | BPF_MEM | BPF_H, BPF_REG_10, 0,
	     REC(pad), 0);
	/* bpf_ringbuf_output(rb, &rec, sizeof(rec), 0) */
	emit_map_fd(p, BPF_REG_1, rb_fd);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0);
	emit(p, BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, FP_REC);
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_3, 0, 0,
	     sizeof(struct pt_bpf_record));
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_4, 0, 0, 0);
	emit(p, BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_ringbuf_output);
	p->out[p->nout++] = p->n;
	emit(p, BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 0, 0);
	emit_count_drop(p, drops_fd);
	/* out: return 0 */
	for (i = 0; i < p->nout; i++)
		p->insn[p->out[i]].off = p->n - p->out[i] - 1;
	emit(p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
	emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* ---- system calls ---------------------------------------------------- */

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int map_create(int type, int key, int value, unsigned long entries)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = type;
	attr.key_size = key;
	attr.value_size = value;
	attr.max_entries = entries;
	return sys_bpf(BPF_MAP_CREATE, &attr);
}

static int prog_load(const struct prog *p)
{
	static char log[65536];
	union bpf_attr attr;
	int fd, err;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_KPROBE;
	attr.insns = (uintptr_t)p->insn;
	attr.insn_cnt = p->n;
	attr.license = (uintptr_t)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	/* load again for the verifier's reasons */
	attr.log_buf = (uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd < 0) {
		err = errno;
		fprintf(stderr, "%s", log);
		errno = err;
	}
	return fd;
}

static int kprobe_pmu_type(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/type", "r");
	int type = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &type) != 1)
		type = -1;
	fclose(f);
	return type;
}

/* a kprobe on func's entry, running prog_fd: the perf event's fd */
static int attach_kprobe(int pmu, const char *func, int prog_fd)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu;
	attr.config1 = (uintptr_t)func;	/* kprobe_func */
	attr.config2 = 0;		/* probe_offset */
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -1;
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd) ||
	    ioctl(fd, PERF_EVENT_IOC_ENABLE, 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* ---- the ring buffer ------------------------------------------------- */

static int ringbuf_map(struct ringbuf *rb)
{
	rb->page = sysconf(_SC_PAGESIZE);
	rb->cons_pos = mmap(NULL, rb->page, PROT_READ | PROT_WRITE,
			    MAP_SHARED, rb->fd, 0);
	if (rb->cons_pos == MAP_FAILED)
		return -1;
	rb->prod = mmap(NULL, rb->page + 2 * rb->size, PROT_READ, MAP_SHARED,
			rb->fd, rb->page);
	if (rb->prod == MAP_FAILED)
		return -1;
	return 0;
}

static void sample(struct state *st, const struct pt_bpf_record *r)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	if (!st->samples || st->sampled >= SAMPLES_MAX)
		return;
	inet_ntop(AF_INET, &r->saddr, s, sizeof(s));
	inet_ntop(AF_INET, &r->daddr, d, sizeof(d));
	fprintf(st->samples, "%s %s %s type=%u id=%u seq=%u\n",
		r->dir ? "RCV" : "SND", s, d, r->type, r->id, r->seq);
	if (++st->sampled == SAMPLES_MAX)
		fflush(st->samples);
}

/* read every committed record, as libbpf's ring_buffer__consume() does */
static void ringbuf_drain(struct ringbuf *rb, struct state *st)
{
	unsigned long cons = __atomic_load_n(rb->cons_pos, __ATOMIC_ACQUIRE);
	unsigned long prod;
	char *data = (char *)rb->prod + rb->page;

	for (;;) {
		prod = __atomic_load_n((unsigned long *)rb->prod,
				       __ATOMIC_ACQUIRE);
		if (cons >= prod)
			break;
		while (cons < prod) {
			uint32_t *hdr = (uint32_t *)(data +
						     (cons & (rb->size - 1)));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);

			if (len & BPF_RINGBUF_BUSY_BIT)
				return;	/* not committed yet */
			if (!(len & BPF_RINGBUF_DISCARD_BIT)) {
				st->read++;
				sample(st, (void *)(hdr + 2));
			}
			len &= ~(BPF_RINGBUF_BUSY_BIT |
				 BPF_RINGBUF_DISCARD_BIT);
			cons += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7UL;
			__atomic_store_n(rb->cons_pos, cons, __ATOMIC_RELEASE);
		}
	}
}

/* ---- the command ----------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: pt-bpf [-l] [-n RECORDS] [-s SAMPLES] "
		"SKB_HEAD SKB_NETWORK_HEADER\n");
	exit(2);
}

static void parse_args(struct env *env, int argc, char **argv)
{
	int c;

	env->records = 65536;
	while ((c = getopt(argc, argv, "ln:s:")) != -1) {
		switch (c) {
		case 'l':
			env->live = 1;
			break;
		case 'n':
			env->records = strtoul(optarg, NULL, 0);
			break;
		case 's':
			env->samples = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2 || !env->records)
		usage();
	env->skb_head = atoi(argv[optind]);
	env->skb_network_header = atoi(argv[optind + 1]);
}

/* room for records of 16 bytes and their 8-byte headers, a power of two */
static size_t ringbuf_size(unsigned long records)
{
	size_t need = records * (BPF_RINGBUF_HDR_SZ +
				 sizeof(struct pt_bpf_record));
	size_t size = sysconf(_SC_PAGESIZE);

	while (size < need)
		size <<= 1;
	return size;
}

static unsigned long dropped(int drops_fd)
{
	union bpf_attr attr;
	uint32_t key = 0;
	uint64_t value = 0;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = drops_fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)&value;
	sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr);
	return value;
}

/* wait for signals (and, live, for records) until SIGINT or SIGTERM */
static int serve(const struct env *env, struct ringbuf *rb, int drops_fd,
		 struct state *st)
{
	struct epoll_event ev = { .events = EPOLLIN }, got;
	struct signalfd_siginfo si;
	sigset_t set;
	int ep, sfd;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (sfd < 0 || ep < 0)
		return -1;
	ev.data.fd = sfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev))
		return -1;
	ev.data.fd = rb->fd;
	if (env->live && epoll_ctl(ep, EPOLL_CTL_ADD, rb->fd, &ev))
		return -1;
	printf("READY\n");
	fflush(stdout);
	for (;;) {
		if (epoll_wait(ep, &got, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		ringbuf_drain(rb, st);
		if (got.data.fd != sfd)
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			return -1;
		printf("records %lu dropped %lu\n", st->read, dropped(drops_fd));
		fflush(stdout);
		if (si.ssi_signo != SIGUSR1)
			return 0;
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *func;
		int arg;	/* the skb argument */
		int dir;
	} probes[] = {
		/* ip_output(net, sk, skb), ip_rcv(skb, dev, pt, orig_dev) */
		{ "ip_output", offsetof(struct pt_regs, rdx), 0 },
		{ "ip_rcv", offsetof(struct pt_regs, rdi), 1 },
	};
	struct env env = { 0 };
	struct state st = { 0 };
	struct ringbuf rb = { .fd = -1 };
	struct prog prog;
	int drops_fd = -1, prog_fd[2] = { -1, -1 }, ev_fd[2] = { -1, -1 };
	int pmu, i, err = 1;

	parse_args(&env, argc, argv);
	if (env.samples && !(st.samples = fopen(env.samples, "w"))) {
		fprintf(stderr, "pt-bpf: cannot open '%s': %s\n", env.samples,
			strerror(errno));
		goto cleanup;
	}
	rb.size = ringbuf_size(env.records);
	rb.fd = map_create(BPF_MAP_TYPE_RINGBUF, 0, 0, rb.size);
	drops_fd = map_create(BPF_MAP_TYPE_ARRAY, 4, 8, 1);
	if (rb.fd < 0 || drops_fd < 0 || ringbuf_map(&rb)) {
		fprintf(stderr, "pt-bpf: cannot create the maps: %s\n",
			strerror(errno));
		goto cleanup;
	}
	pmu = kprobe_pmu_type();
	if (pmu < 0) {
		fprintf(stderr, "pt-bpf: no kprobe PMU in /sys/bus/event_source\n");
		goto cleanup;
	}
	for (i = 0; i < 2; i++) {
		build_prog(&prog, &env, probes[i].arg, probes[i].dir, rb.fd,
			   drops_fd);
		prog_fd[i] = prog_load(&prog);
		if (prog_fd[i] < 0) {
			fprintf(stderr, "pt-bpf: cannot load the program for "
				"'%s': %s\n", probes[i].func, strerror(errno));
			goto cleanup;
		}
		ev_fd[i] = attach_kprobe(pmu, probes[i].func, prog_fd[i]);
		if (ev_fd[i] < 0) {
			fprintf(stderr, "pt-bpf: cannot attach to '%s': %s\n",
				probes[i].func, strerror(errno));
			goto cleanup;
		}
	}
	if (serve(&env, &rb, drops_fd, &st)) {
		fprintf(stderr, "pt-bpf: %s\n", strerror(errno));
		goto cleanup;
	}
	err = 0;
cleanup:
	for (i = 0; i < 2; i++) {
		if (ev_fd[i] >= 0)
			close(ev_fd[i]);
		if (prog_fd[i] >= 0)
			close(prog_fd[i]);
	}
	if (drops_fd >= 0)
		close(drops_fd);
	if (rb.fd >= 0)
		close(rb.fd);
	if (st.samples)
		fclose(st.samples);
	return err != 0;
}
