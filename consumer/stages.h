/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-stage latency of an echo (issue 12): net:ip_icmp joined with the
 * events the kernel already has.  By skb address: net:net_dev_queue,
 * net:net_dev_xmit, the receive entries (net:netif_rx,
 * net:napi_gro_receive_entry, net:netif_receive_skb_list_entry,
 * net:netif_receive_skb_entry) and net:netif_receive_skb.  By the
 * pinging task: its sendto/sendmsg entry, sched:sched_wakeup and
 * sched:sched_switch after the reply's RCV, its recvmsg/recvfrom exit.
 *
 * stages.c is pure (no I/O, no libtraceevent); stage-decode.c reads the
 * records.  Decided echoes wait here until their task stages are in, so
 * that each is written once, with every stage it has.
 */
#ifndef PT_STAGES_H
#define PT_STAGES_H

#include <stdint.h>

#include "hist.h"
#include "pair.h"
#include "table.h"

/* The moments of an echo, in the order the packet passes them */
enum pt_point {
	PT_P_USER_SEND,		/* sys_enter_sendto/sendmsg of the pinger */
	PT_P_REQ_SND,		/* net:ip_icmp SND of the request */
	PT_P_REQ_QUEUE,		/* net:net_dev_queue */
	PT_P_REQ_XMIT,		/* net:net_dev_xmit */
	PT_P_REQ_ENTRY,		/* the receive entry at the target */
	PT_P_REQ_CORE,		/* net:netif_receive_skb at the target */
	PT_P_REQ_RCV,		/* net:ip_icmp RCV of the request */
	PT_P_REP_SND,		/* net:ip_icmp SND of the reply */
	PT_P_REP_QUEUE,
	PT_P_REP_XMIT,
	PT_P_REP_ENTRY,
	PT_P_REP_CORE,
	PT_P_REP_RCV,		/* net:ip_icmp RCV of the reply */
	PT_P_WAKEUP,		/* sched:sched_wakeup of the pinger */
	PT_P_SWITCH,		/* sched:sched_switch to the pinger */
	PT_P_USER_RECV,		/* sys_exit_recvmsg/recvfrom of the pinger */
	PT_P_MAX,
};

/*
 * The stages: stage k ends at point k + 1 and starts at the latest point
 * before it that was seen, so that a stage after unseen ones spans them
 * and the stages from PT_S_REQ_IP_OUT to PT_S_REP_RX_IP add up to the
 * kernel rtt.  Names are those of JSON ("<name>_ns") and CSV.
 */
enum pt_stage {
	PT_S_USER_TO_IP,	/* user_to_ip: sendto to ip_output */
	PT_S_REQ_IP_OUT,	/* req_ip_out: ip_output to dev_queue_xmit */
	PT_S_REQ_DEV,		/* req_dev: qdisc and driver */
	PT_S_REQ_LINK,		/* req_link: the wire, QEMU, another host */
	PT_S_REQ_RX_QUEUE,	/* req_rx_queue: backlog or NAPI/GRO */
	PT_S_REQ_RX_IP,		/* req_rx_ip: netif_receive_skb to ip_rcv */
	PT_S_TARGET,		/* target: the responder's ICMP */
	PT_S_REP_IP_OUT,
	PT_S_REP_DEV,
	PT_S_REP_LINK,
	PT_S_REP_RX_QUEUE,
	PT_S_REP_RX_IP,
	PT_S_SOCK_TO_WAKE,	/* sock_to_wake: ip_rcv to the task woken */
	PT_S_WAKE_TO_RUN,	/* wake_to_run: woken to running */
	PT_S_RUN_TO_USER,	/* run_to_user: running to recvmsg's return */
	PT_S_MAX,
};

/* The stages inside the kernel rtt: request leaving to reply arriving */
#define PT_S_RTT_FIRST	PT_S_REQ_IP_OUT
#define PT_S_RTT_LAST	PT_S_REP_RX_IP

enum pt_stage_state {
	PT_STAGE_NOT_SEEN,	/* an event it ends at is not in the trace */
	PT_STAGE_SEEN,
	PT_STAGE_NONE,		/* the path has no such stage (see stages.c) */
};

struct pt_stage_result {
	uint64_t	ns[PT_S_MAX];
	uint8_t		state[PT_S_MAX];
	uint64_t	at[PT_P_MAX];	/* the points, where seen */
	uint32_t	seen;		/* 1u << enum pt_point */
	int		pid;		/* the pinger, 0 if unknown */
};

/* The events stages.c takes, as stage-decode.c names them */
enum pt_stage_event {
	PT_SE_NONE,
	PT_SE_DEV_QUEUE,	/* net:net_dev_queue */
	PT_SE_DEV_XMIT,		/* net:net_dev_xmit */
	PT_SE_RX_ENTRY,		/* netif_rx, napi_gro_receive_entry, ... */
	PT_SE_RX_CORE,		/* net:netif_receive_skb */
	PT_SE_SEND_ENTER,	/* syscalls:sys_enter_sendto, sendmsg */
	PT_SE_RECV_EXIT,	/* syscalls:sys_exit_recvmsg, recvfrom */
	PT_SE_WAKEUP,		/* sched:sched_wakeup */
	PT_SE_SWITCH,		/* sched:sched_switch */
};

struct pt_stage_ev {
	enum pt_stage_event	kind;
	uint64_t		ts;
	uint64_t		skbaddr;	/* the net events */
	int			pid;		/* task: woken, next, or common */
	long long		ret;		/* xmit rc, syscall return */
};

/* A decided echo and its stages, as pt_stages_emit_fn gets them */
typedef void (*pt_stages_emit_fn)(const struct pt_echo *echo,
				  const struct pt_stage_result *res,
				  void *data);

/* How long a decided echo waits for its task stages (trace clock) */
#define PT_STAGES_WAIT_NS	(1000ULL * 1000000ULL)
#define PT_STAGES_MAX_ECHOES	4096
#define PT_STAGES_MAX_SKBS	4096
#define PT_STAGES_MAX_TASKS	256
#define PT_STAGES_MAX_PENDING	1024
/* A task's wakeups, switches in and recvmsg exits kept for the joins */
#define PT_STAGES_TASK_EVENTS	32
/*
 * How far events may come out of time order: live drains each CPU in
 * turn every 1 to 50 ms (live.c), so an echo waits for 100 ms of trace
 * time past its reply before its task events are taken as complete
 */
#define PT_STAGES_REORDER_NS	(100ULL * 1000000ULL)

struct pt_stages_pending;

struct pt_stages {
	struct pt_table		echoes;		/* struct pt_stage_rec */
	struct pt_table		out;		/* skb -> echo, on the way out */
	struct pt_table		in;		/* skb -> receive times */
	struct pt_table		tasks;		/* pid -> struct pt_stage_task */
	struct pt_stages_pending *pending;	/* decided, waiting */
	unsigned int		npending, phead;
	pt_stages_emit_fn	emit;
	void			*data;
	int			wait_task;	/* task exits can come */
	int			have_sched;	/* sched_wakeup recorded */
	uint64_t		now;		/* the newest time fed */
	uint64_t		events;		/* stage events fed */
	uint64_t		joined;		/* of them, joined to an echo */
};

int pt_stages_init(struct pt_stages *st, pt_stages_emit_fn emit, void *data);
void pt_stages_release(struct pt_stages *st);
void pt_stages_icmp(struct pt_stages *st, const struct pt_event *ev);
void pt_stages_event(struct pt_stages *st, const struct pt_stage_ev *sev);
void pt_stages_lost(struct pt_stages *st);
int pt_stages_echo(struct pt_stages *st, const struct pt_echo *echo);
void pt_stages_flush(struct pt_stages *st, int all);

void pt_stages_compute(struct pt_stage_result *res);

/* Every echo's stages, for the summary: written or not (--slow) */
struct pt_stage_summary {
	uint64_t	echoes;
	struct pt_hist	rtt;			/* of the answered echoes */
	struct pt_hist	stage[PT_S_MAX];
	uint64_t	not_seen[PT_S_MAX];	/* of the answered echoes */
	uint64_t	none[PT_S_MAX];
	int		present[PT_S_MAX];	/* the trace has its events */
};

void pt_stage_summary_init(struct pt_stage_summary *sum);
void pt_stage_summary_release(struct pt_stage_summary *sum);
void pt_stage_summary_add(struct pt_stage_summary *sum,
			  const struct pt_echo *e,
			  const struct pt_stage_result *res);
const char *pt_stage_name(enum pt_stage s);
const char *pt_stage_short(enum pt_stage s);

#endif /* PT_STAGES_H */
