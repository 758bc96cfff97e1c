// SPDX-License-Identifier: GPL-2.0
/*
 * Read a trace.dat with libtracecmd, in time order across CPUs and
 * buffers, and feed every record to a session.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <trace-cmd.h>

#include "replay.h"
#include "session.h"

/* Later than 2000-01-01 in ns: the file's times are wall clock (--date) */
#define WALL_CLOCK_MIN_NS	(946684800ULL * 1000000000ULL)
#define MAX_BUFFERS		64

static int replay_record(struct tracecmd_input *handle,
			 struct tep_record *record, int cpu, void *data)
{
	struct pt_session *s = data;

	(void)cpu;
	if (tracecmd_get_tep(handle) != s->dec.tep)
		return 0;	/* another format set: not ours to decode */
	return pt_session_record(s, record) ? -1 : 0;
}

/*
 * The top buffer and the instance buffers (trace-cmd record -B NAME),
 * merged in time order.
 */
static int iterate_buffers(struct tracecmd_input *handle, struct pt_session *s)
{
	struct tracecmd_input *handles[MAX_BUFFERS + 1] = { handle };
	int nr = tracecmd_buffer_instances(handle);
	int i, n = 1;
	int ret;

	if (nr <= 0)
		return tracecmd_iterate_events(handle, NULL, 0, replay_record, s);
	for (i = 0; i < nr && n <= MAX_BUFFERS; i++) {
		handles[n] = tracecmd_buffer_instance_handle(handle, i);
		if (handles[n])
			n++;
	}
	ret = tracecmd_iterate_events_multi(handles, n, replay_record, s);
	for (i = 1; i < n; i++)
		tracecmd_close(handles[i]);
	return ret;
}

/* A readable regular file?  Gives open()'s errno, or -EISDIR */
static int check_file(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		ret = -errno;
	else if (S_ISDIR(st.st_mode))
		ret = -EISDIR;
	close(fd);
	return ret;
}

static int map_init_error(int ret, const struct pt_session *s,
			  struct pt_replay_info *info)
{
	info->bad_field = s->dec.bad_field;
	if (ret == -ENOENT && !s->dec.event)
		return -ENODATA;
	if (ret == -ENOENT || ret == -EPROTO)
		return -EPROTO;
	return ret;
}

static int replay(struct tracecmd_input *handle,
		  const struct pt_targets *targets,
		  const struct pt_pair_config *cfg, struct pt_output *out,
		  struct pt_replay_info *info)
{
	struct pt_session s;
	int ret;

	info->wall = tracecmd_get_first_ts(handle) >= WALL_CLOCK_MIN_NS;
	out->wall = info->wall;
	ret = pt_session_init(&s, tracecmd_get_tep(handle), targets, cfg, out);
	if (ret) {
		pt_session_release(&s);
		return map_init_error(ret, &s, info);
	}
	ret = iterate_buffers(handle, &s);
	if (!out->err && ret < 0)
		ret = -EIO;
	else
		ret = 0;
	if (!ret && !out->err)
		pt_session_finish(&s);
	info->nr_events = s.nr_events;
	info->nr_bad = s.nr_bad;
	info->stats = *pt_pair_stats(s.pair);
	pt_session_release(&s);
	return ret ? ret : out->err;
}

/*
 * Returns 0; -errno of open(); -EISDIR; -EBADMSG (not a trace file);
 * -ENODATA (no net:ip_icmp in the file); -EPROTO (a field is missing or
 * has another size: info->bad_field); -EIO (unreadable data); or the
 * output's write error.
 */
int pt_replay_file(const char *path, const struct pt_targets *targets,
		   const struct pt_pair_config *cfg, struct pt_output *out,
		   struct pt_replay_info *info)
{
	struct tracecmd_input *handle;
	int ret;

	memset(info, 0, sizeof(*info));
	ret = check_file(path);
	if (ret)
		return ret;
	handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!handle)
		return -EBADMSG;
	ret = replay(handle, targets, cfg, out, info);
	tracecmd_close(handle);
	return ret;
}
