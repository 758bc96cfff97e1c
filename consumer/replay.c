// SPDX-License-Identifier: GPL-2.0
/*
 * Read a trace.dat with libtracecmd, in time order across CPUs and
 * buffers, and feed every record to a session.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "kallsyms.h"
#include "replay.h"
#include "session.h"
#include "shring.h"
#include "tracefile.h"

/* Bytes of records per handle of a compressed file; tests make it small */
unsigned long long pt_replay_segment = PT_TRACEFILE_SEGMENT;

static pt_replay_progress_fn progress_fn;
static void *progress_data;

/* @fn is told how far the reading is (see tracefile.h); NULL: nothing */
void pt_replay_set_progress(pt_replay_progress_fn fn, void *data)
{
	progress_fn = fn;
	progress_data = data;
}

/* Later than 2000-01-01 in ns: the file's times are wall clock (--date) */
#define WALL_CLOCK_MIN_NS	(946684800ULL * 1000000000ULL)
/* Opening takes milliseconds: a probe still busy after this is stuck */
#define PROBE_SECONDS		5
/* The probe's exits: tracecmd_open() worked, or failed */
#define PROBE_OPENED		0
#define PROBE_REFUSED		3

static int replay_record(struct tep_record *record, int ours, void *data)
{
	struct pt_session *s = data;

	if (!ours)
		return 0;	/* another format set: not ours to decode */
	return pt_session_record(s, record) ? -1 : 0;
}

static int replay_retarget(struct tep_handle *tep, void *data)
{
	return pt_session_retarget(data, tep);
}

static const unsigned char trace_magic[10] = "\027\010\104tracing";

/* Where a trace-cmd file's header keeps what pt_trace_head_damaged() reads */
#define HEAD_VERSION		10	/* "7" and its NUL */
#define HEAD_PAGE_SIZE		14	/* le32, after endian and long size */
#define HEAD_COMPRESSION	18	/* the compression name of version 7 */
#define MIN_PAGE_SIZE		4096

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * trace-cmd 3.0 to 3.4 damage a compressed version 7 file when it cannot
 * stat() /proc/kallsyms: it writes the size of the printk section, an
 * 8-byte number, over bytes 12..19 of the header (endianness, long size,
 * page size and the first two characters of the compression name).
 * tracecmd_open() then fails without saying why.
 *
 * A good version 7 header has a compression name ("none" included) at
 * byte 18 and a page size at 14 that is a power of two of 4096 or more.
 * The damaged one has two zero bytes at 18 and a small number at 14:
 * the high bytes of a little-endian section size.
 *
 * Returns 1 when the first @len bytes of a file show this damage.
 */
int pt_trace_head_damaged(const unsigned char *head, size_t len)
{
	uint32_t page_size;

	if (len < PT_TRACE_HEAD_LEN)
		return 0;
	if (memcmp(head, trace_magic, sizeof(trace_magic)) ||
	    memcmp(head + HEAD_VERSION, "7", 2))
		return 0;
	if (head[HEAD_COMPRESSION] || head[HEAD_COMPRESSION + 1])
		return 0;
	page_size = le32(head + HEAD_PAGE_SIZE);
	return page_size < MIN_PAGE_SIZE || (page_size & (page_size - 1));
}

/* A version 7 file whose data is compressed (its compression is not "none") */
int pt_trace_head_compressed(const unsigned char *head, size_t len)
{
	if (len < HEAD_COMPRESSION + 5 ||
	    memcmp(head, trace_magic, sizeof(trace_magic)) ||
	    memcmp(head + HEAD_VERSION, "7", 2))
		return 0;
	return memcmp(head + HEAD_COMPRESSION, "none", 5) != 0;
}

/*
 * A readable regular file?  Gives open()'s errno or -EISDIR, and the
 * first bytes of the file in @head (*len of them, fewer if it is short).
 */
static int check_file(const char *path, unsigned char *head, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n = 0;
	int ret = 0;

	*len = 0;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (S_ISDIR(st.st_mode))
		ret = -EISDIR;
	else
		n = pread(fd, head, PT_TRACE_HEAD_READ, 0);
	if (n > 0)
		*len = n;
	close(fd);
	return ret;
}

static enum pt_replay_status init_error(int ret, const struct pt_session *s,
					struct pt_replay_info *info)
{
	if (ret == -EPROTO && s->dec.status == PT_FORMAT_NO_EVENT)
		return PT_REPLAY_NO_EVENT;
	if (ret == -EPROTO) {
		info->bad_field = s->dec.bad_field;
		return PT_REPLAY_BAD_FORMAT;
	}
	info->err = ret;
	return PT_REPLAY_CANNOT_OPEN;
}

/* --stages, --slow, --svg: the joins, and what the file has for them */
static int stages_init(struct pt_session *s, const struct pt_output *out,
		       struct pt_replay_info *info)
{
	int i, ret = pt_session_stages(s, out->stage_view);

	for (i = 0; !ret && i < PT_STAGE_SOURCES; i++)
		info->stage_has[i] = s->stages->sdec.ev[i].id >= 0;
	return ret;
}

/*
 * The report in two processes, each on a CPU of its own: a child reads
 * the file (libtracecmd, zstd, kbuffer); this process pairs, joins and
 * writes.  Decoding net:ip_icmp and net:ip6_icmp goes to the side that
 * has less to do: the child, with a copy of the session that it
 * retargets at each reopen, when the file is not compressed and each
 * event has its line; else this process.  The child hands over, through
 * a shring, each event it decoded and every other record as it is, for
 * pt_session_record(); its result last.  Both sides' formats are the
 * same file's, so the two decodes are the one pt_session_record() would
 * do.  A child that dies or hangs
 * before its result is LIB_FAILED, as a child reading alone would be.
 */
#define SPLIT_RING		(4u << 20)

enum split_kind {
	SPLIT_ICMP = 1,		/* struct split_icmp */
	SPLIT_RAW,		/* struct split_record, not decoded */
	SPLIT_END,		/* struct split_end */
};

struct split_icmp {
	struct pt_shring_item	h;
	long long		missed;
	struct pt_event		ev;
};

struct split_record {
	struct pt_shring_item	h;
	unsigned long long	ts;
	long long		missed;
	int			cpu;
	int			size;
	unsigned char		data[];
};

struct split_end {
	struct pt_shring_item	h;
	int			ret;		/* pt_tracefile_read()'s */
};

struct split_reader {
	struct pt_shring	ring;
	struct pt_session	*s;		/* this process's copy */
	int			decode;		/* or leave it to the parent */
};

/*
 * A reserve is taken back by the next one until it is committed: an
 * event is decoded in place, and a record that is not net:ip_icmp's or
 * net:ip6_icmp's goes as it is, for the parent to decode
 */
static int split_put(struct tep_record *record, int ours, void *data)
{
	struct split_reader *rd = data;
	struct split_record *sr;
	struct split_icmp *si;

	if (!ours)
		return 0;	/* another format set: not ours to decode */
	if (rd->decode) {
		si = (void *)pt_shring_reserve(&rd->ring, sizeof(*si));
		if (!si)
			return -1;
		if (pt_session_decode(rd->s, record, &si->ev) == PT_DECODE_OK) {
			si->h.kind = SPLIT_ICMP;
			si->missed = record->missed_events;
			pt_shring_commit(&rd->ring, &si->h);
			return 0;
		}
	}
	sr = (void *)pt_shring_reserve(&rd->ring, sizeof(*sr) + record->size);
	if (!sr)
		return -1;
	sr->h.kind = SPLIT_RAW;
	sr->ts = record->ts;
	sr->missed = record->missed_events;
	sr->cpu = record->cpu;
	sr->size = record->size;
	memcpy(sr->data, record->data, sr->size);
	pt_shring_commit(&rd->ring, &sr->h);
	return 0;
}

static int split_retarget(struct tep_handle *tep, void *data)
{
	struct split_reader *rd = data;

	return pt_session_retarget(rd->s, tep);
}

/* @tf is the parent's reading, set up: this child's to run */
static void split_child(struct split_reader *rd, struct pt_tracefile *tf)
{
	struct split_end *end;
	int ret;

	pt_shring_writer(&rd->ring);
	tf->fn = split_put;
	tf->data = rd;
	tf->reopened = split_retarget;
	tf->reopened_data = rd;
	ret = pt_tracefile_read(tf);
	end = (void *)pt_shring_reserve(&rd->ring, sizeof(*end));
	if (!end)
		_exit(1);
	end->h.kind = SPLIT_END;
	end->ret = ret;
	pt_shring_commit(&rd->ring, &end->h);
	pt_shring_flush(&rd->ring);
	_exit(0);
}

/*
 * Each item to the session until the child's result: 1 and its result
 * in *@ret, 0 when there was none (the child died), or -1 when the
 * output failed and the reading was stopped
 */
static int split_take(struct pt_shring *ring, struct pt_session *s, int *ret)
{
	const struct pt_shring_item *it;
	const struct split_record *sr;
	struct split_icmp *si;
	struct tep_record rec;

	while ((it = pt_shring_next(ring))) {
		memset(&rec, 0, sizeof(rec));
		switch (it->kind) {
		case SPLIT_ICMP:
			si = (struct split_icmp *)it;
			if (it->len < sizeof(*si))
				return 0;
			rec.ts = si->ev.ts;
			rec.missed_events = si->missed;
			pt_session_decoded(s, &rec, PT_DECODE_OK, &si->ev);
			break;
		case SPLIT_RAW:
			sr = (const struct split_record *)it;
			if (it->len < sizeof(*sr) || sr->size < 0 ||
			    sizeof(*sr) + sr->size > it->len)
				return 0;
			rec.ts = sr->ts;
			rec.missed_events = sr->missed;
			rec.cpu = sr->cpu;
			rec.size = sr->size;
			rec.data = (void *)sr->data;
			pt_session_record(s, &rec);
			break;
		case SPLIT_END:
			if (it->len < sizeof(struct split_end))
				return 0;
			*ret = ((const struct split_end *)it)->ret;
			return 1;
		default:
			return 0;
		}
		pt_shring_release(ring, it);
		if (s->out->err)
			return -1;
	}
	return 0;
}

/*
 * Two CPUs to run on, and a file of more than a few pages a CPU, or
 * reading in a child buys nothing: the fork costs more than it saves
 * (about 0.4 ms, a tenth of a small file's report)
 */
unsigned long long pt_replay_split_min = PT_REPLAY_SPLIT_MIN;

static int split_worth_it(const char *path)
{
	struct stat st;
	cpu_set_t set;

	if (stat(path, &st) || (unsigned long long)st.st_size <
			       pt_replay_split_min)
		return 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	return CPU_COUNT(&set) >= 2;
}

/*
 * replay() with the reading in a child, once the session is set up in
 * @s; 0 and *@ret as from pt_tracefile_read(), or LIB_FAILED
 */
static enum pt_replay_status split_read(struct pt_tracefile *tf,
					int compressed, struct pt_session *s,
					int *ret)
{
	struct split_reader rd;
	int took, status;
	pid_t pid;

	if (pt_shring_create(&rd.ring, SPLIT_RING))
		return PT_REPLAY_CANNOT_OPEN;
	rd.s = s;
	rd.decode = !compressed && !s->out->quiet;
	fflush(NULL);	/* what stdio holds must not be written twice */
	pid = fork();
	if (pid < 0) {
		pt_shring_destroy(&rd.ring);
		return PT_REPLAY_CANNOT_OPEN;
	}
	if (!pid)
		split_child(&rd, tf);
	pt_shring_reader(&rd.ring);
	took = split_take(&rd.ring, s, ret);
	if (took <= 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pt_shring_destroy(&rd.ring);
	if (took < 0)
		*ret = 0;	/* the output's error, not the reading's */
	return took ? PT_REPLAY_OK : PT_REPLAY_LIB_FAILED;
}

/*
 * The top buffer and the instance buffers (trace-cmd record -B NAME),
 * merged in time order; a compressed file in segments of bounded memory
 * (tracefile.c).  @handle is closed here: the reader takes it over.
 */
static enum pt_replay_status replay(const char *path, int compressed,
				    struct tracecmd_input *handle,
				    const struct pt_targets *targets,
				    const struct pt_pair_config *cfg,
				    struct pt_output *out,
				    struct pt_replay_info *info, int split)
{
	enum pt_replay_status status = PT_REPLAY_OK;
	struct pt_tracefile tf;
	struct pt_session s;
	int ret;

	memset(&tf, 0, sizeof(tf));
	tf.first = handle;
	info->wall = tracecmd_get_first_ts(handle) >= WALL_CLOCK_MIN_NS;
	out->wall = info->wall;
	ret = pt_session_init(&s, tracecmd_get_tep(handle), targets, cfg, out);
	if (!ret && (out->stage_view || out->slow_ns || out->stage_hook))
		ret = stages_init(&s, out, info);
	if (ret) {
		pt_session_release(&s);
		pt_tracefile_release(&tf);
		return init_error(ret, &s, info);
	}
	tf.path = path;
	tf.segment = compressed ? pt_replay_segment : 0;
	tf.fn = replay_record;
	tf.data = &s;
	tf.reopened = replay_retarget;
	tf.reopened_data = &s;
	tf.progress = progress_fn;
	tf.progress_data = progress_data;
	/* Read in part, a file would lose echoes without a word */
	if (tracecmd_buffer_instances(handle) > PT_REPLAY_MAX_BUFFERS) {
		status = PT_REPLAY_TOO_MANY_BUFFERS;
	} else if (split && split_worth_it(path)) {
		status = split_read(&tf, compressed, &s, &ret);
		if (!status && ret < 0 && !out->err)
			status = PT_REPLAY_READ_ERROR;
	} else if (pt_tracefile_read(&tf) < 0 && !out->err) {
		status = PT_REPLAY_READ_ERROR;
	}
	if (!status && !out->err)
		pt_session_finish(&s);
	info->nr_events = s.nr_events;
	info->nr_bad = s.nr_bad;
	info->stats = *pt_pair_stats(s.pair);
	pt_session_release(&s);
	/* the session decoded with the last handle's tep until here */
	pt_tracefile_release(&tf);
	if (!status && out->err)
		status = PT_REPLAY_WRITE_ERROR;
	return status;
}

/*
 * libtracecmd 1.3 (trace-cmd 3.1.6) does not survive every damaged file:
 * tracecmd_open_fd()'s error path reads the cpu_data it never allocated,
 * and tracecmd_alloc_fd() can loop forever on a damaged version 7 header
 * (tests/fuzz/regressions/tracefile/lib-*).  Open the file once in a child
 * first, so that a file the library dies on is an error, not our crash.
 * Returns PT_REPLAY_OK when the child opened and closed it, NOT_TRACE when
 * the library refused it, LIB_FAILED when the child crashed or hung.
 */
static enum pt_replay_status probe_open(const char *path,
					struct pt_replay_info *info)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		info->err = -errno;
		return PT_REPLAY_CANNOT_OPEN;
	}
	if (!pid) {
		struct tracecmd_input *handle;
		int null = open("/dev/null", O_WRONLY);

		/* what the library prints on its way down is not ours */
		if (null >= 0)
			dup2(null, STDERR_FILENO);
		signal(SIGALRM, SIG_DFL);
		alarm(PROBE_SECONDS);
		handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
		if (handle)
			tracecmd_close(handle);
		_exit(handle ? PROBE_OPENED : PROBE_REFUSED);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			info->err = -errno;
			return PT_REPLAY_CANNOT_OPEN;
		}
	}
	/* any other end, a sanitizer's exit included, is a crash */
	if (WIFEXITED(status) && WEXITSTATUS(status) == PROBE_OPENED)
		return PT_REPLAY_OK;
	if (WIFEXITED(status) && WEXITSTATUS(status) == PROBE_REFUSED)
		return PT_REPLAY_NOT_TRACE;
	return PT_REPLAY_LIB_FAILED;
}

/* Open and read the file here; @compressed from its head */
static enum pt_replay_status open_and_replay(const char *path, int compressed,
					     const struct pt_targets *targets,
					     const struct pt_pair_config *cfg,
					     struct pt_output *out,
					     struct pt_replay_info *info)
{
	struct tracecmd_input *handle;

	/* probe_open() parsed the kallsyms whole, in its child */
	handle = pt_tracecmd_open_lazy(path);
	if (!handle)
		return PT_REPLAY_NOT_TRACE;
	return replay(path, compressed, handle, targets, cfg, out, info, 0);
}

/* What the child of replay_in_child() sends back, once it is done */
struct child_result {
	enum pt_replay_status	status;
	struct pt_replay_info	info;
	int			out_err;
};

/* tracecmd_open() with stderr on /dev/null and under an alarm */
struct tracecmd_input *pt_replay_open_guarded(const char *path)
{
	struct tracecmd_input *handle;
	int null = open("/dev/null", O_WRONLY);
	int saved = dup(STDERR_FILENO);

	/* what the library prints on its way down is not ours */
	if (null >= 0)
		dup2(null, STDERR_FILENO);
	signal(SIGALRM, SIG_DFL);
	alarm(PROBE_SECONDS);
	handle = pt_tracecmd_open_lazy(path);
	alarm(0);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (null >= 0)
		close(null);
	return handle;
}

static void run_child(int fd, const char *path, int compressed,
		      const struct pt_targets *targets,
		      const struct pt_pair_config *cfg, struct pt_output *out)
{
	struct tracecmd_input *handle = pt_replay_open_guarded(path);
	struct child_result r;
	size_t done = 0;
	ssize_t n;

	memset(&r, 0, sizeof(r));
	r.status = PT_REPLAY_NOT_TRACE;
	if (handle) {
		r.status = replay(path, compressed, handle, targets, cfg, out,
				  &r.info, 1);
	}
	pt_output_flush(out);
	r.out_err = out->err;
	while (done < sizeof(r)) {
		n = write(fd, (char *)&r + done, sizeof(r) - done);
		if (n <= 0 && errno != EINTR)
			_exit(1);
		if (n > 0)
			done += n;
	}
	_exit(0);
}

static ssize_t read_result(int fd, struct child_result *r)
{
	size_t done = 0;
	ssize_t n;

	while (done < sizeof(*r)) {
		n = read(fd, (char *)r + done, sizeof(*r) - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += n;
	}
	return done;
}

/*
 * The whole report in a child that writes to the output's own file
 * descriptor, and the file opened once: a file libtracecmd crashes or
 * hangs on while opening it (see probe_open()), or crashes on while
 * reading it, costs the child.  Its result comes back through a pipe;
 * none (the child died) is LIB_FAILED.
 */
static enum pt_replay_status replay_in_child(const char *path, int compressed,
					     const struct pt_targets *targets,
					     const struct pt_pair_config *cfg,
					     struct pt_output *out,
					     struct pt_replay_info *info)
{
	struct child_result r;
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	/* what stdio holds must not be written twice */
	if (pt_output_flush(out))
		return PT_REPLAY_WRITE_ERROR;
	if (pipe(fds)) {
		info->err = -errno;
		return PT_REPLAY_CANNOT_OPEN;
	}
	pid = fork();
	if (pid < 0) {
		info->err = -errno;
		close(fds[0]);
		close(fds[1]);
		return PT_REPLAY_CANNOT_OPEN;
	}
	if (!pid) {
		close(fds[0]);
		run_child(fds[1], path, compressed, targets, cfg, out);
	}
	close(fds[1]);
	got = read_result(fds[0], &r);
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != sizeof(r))
		return PT_REPLAY_LIB_FAILED;
	*info = r.info;
	out->err = r.out_err;
	return r.status;
}

/* The file readable, its head a trace-cmd file's and not damaged */
static enum pt_replay_status check_head(const char *path, int *compressed,
					struct pt_replay_info *info)
{
	unsigned char head[PT_TRACE_HEAD_READ];
	size_t len;

	memset(info, 0, sizeof(*info));
	info->err = check_file(path, head, &len);
	if (info->err)
		return PT_REPLAY_CANNOT_OPEN;
	/* Shorter than any trace-cmd header; libtracecmd would leak on it */
	if (len < PT_TRACE_HEAD_LEN)
		return PT_REPLAY_NOT_TRACE;
	if (pt_trace_head_damaged(head, len))
		return PT_REPLAY_DAMAGED_V7;
	*compressed = pt_trace_head_compressed(head, len);
	return PT_REPLAY_OK;
}

/*
 * PT_REPLAY_DAMAGED_V7 is a file pt_trace_head_damaged() recognises;
 * LIB_FAILED one that the library died or hung on.  An output with a
 * file descriptor is written by a child that opens the file once
 * (replay_in_child()); any other (a memory stream), or one whose stage
 * hook collects what it is given (report --svg), is written here,
 * after a child has opened the file once to see that it can.
 */
enum pt_replay_status pt_replay_file(const char *path,
				     const struct pt_targets *targets,
				     const struct pt_pair_config *cfg,
				     struct pt_output *out,
				     struct pt_replay_info *info)
{
	enum pt_replay_status status;
	int compressed;

	status = check_head(path, &compressed, info);
	if (status)
		return status;
	/* a stage hook (report --svg) collects in this process: not a child */
	if (fileno(out->fp) >= 0 && !out->stage_hook)
		return replay_in_child(path, compressed, targets, cfg, out,
				       info);
	status = probe_open(path, info);
	if (status)
		return status;
	return open_and_replay(path, compressed, targets, cfg, out, info);
}

/*
 * What pt_replay_file() checks before it reads a file, for a reader of
 * its own (stream.c): readable, a trace-cmd file, not damaged, and one
 * that libtracecmd opens in a child without dying.  *compressed from its
 * head.
 */
enum pt_replay_status pt_replay_check(const char *path, int *compressed,
				      struct pt_replay_info *info)
{
	enum pt_replay_status status = check_head(path, compressed, info);

	return status ? status : probe_open(path, info);
}
