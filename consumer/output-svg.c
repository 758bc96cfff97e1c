// SPDX-License-Identifier: GPL-2.0
/*
 * The SVG picture of report --svg.  x: the request's send time, from
 * the first echo to the last; y: microseconds, linear from 0 to the
 * largest rtt.  Each answered echo is a bar of the stages inside its
 * kernel rtt, stacked from req_ip_out at the bottom to rep_rx_ip at the
 * top; a stage not seen leaves no band, and the stage after it spans it
 * (stages.h), so the bar's top is the rtt, which the black line joins.
 * A lost or errored echo is a red mark the height of the plot.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "output-svg.h"

#define LEFT		60
#define RIGHT		150	/* the legend */
#define TOP		20
#define BOTTOM		40
#define PLOT_W		(PT_SVG_WIDTH - LEFT - RIGHT)
#define PLOT_H		(PT_SVG_HEIGHT - TOP - BOTTOM)
#define MAX_BAR_W	20.0
#define LOST_COLOUR	"#ff0000"

/* Pure colours far from each other and from red, black and white */
static const char * const colours[PT_SVG_STAGES] = {
	"#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2",
	"#17becf", "#bcbd22", "#ff7f0e", "#7f7f7f", "#000080",
	"#00ff00",
};

const char *pt_svg_colour(int i)
{
	return i >= 0 && i < PT_SVG_STAGES ? colours[i] : "#ffffff";
}

void pt_svg_init(struct pt_svg *svg)
{
	memset(svg, 0, sizeof(*svg));
}

void pt_svg_release(struct pt_svg *svg)
{
	free(svg->echo);
	pt_svg_init(svg);
}

void pt_svg_add(const struct pt_echo *e, const struct pt_stage_result *res,
		void *data)
{
	struct pt_svg *svg = data;
	struct pt_svg_echo *p;
	int i;

	if (svg->err || !(e->have & PT_HAVE_SEND))
		return;
	if (svg->n == svg->cap) {
		p = realloc(svg->echo, (svg->cap ? svg->cap * 2 : 64) *
			    sizeof(*p));
		if (!p) {
			svg->err = -ENOMEM;
			return;
		}
		svg->echo = p;
		svg->cap = svg->cap ? svg->cap * 2 : 64;
	}
	p = &svg->echo[svg->n++];
	memset(p, 0, sizeof(*p));
	p->send_ns = e->send_ns;
	p->status = e->status;
	if (e->status == PT_ECHO_OK)
		p->rtt_ns = pt_echo_rtt(e);
	for (i = 0; i < PT_SVG_STAGES; i++)
		if (res->state[PT_S_RTT_FIRST + i] == PT_STAGE_SEEN)
			p->ns[i] = res->ns[PT_S_RTT_FIRST + i];
}

struct frame {
	uint64_t	t0, t1;		/* send times of the first, last */
	uint64_t	ymax;		/* ns at the top */
	double		bar_w;
};

static void frame_of(const struct pt_svg *svg, struct frame *f)
{
	size_t i;

	f->t0 = svg->n ? svg->echo[0].send_ns : 0;
	f->t1 = f->t0;
	f->ymax = 1;
	for (i = 0; i < svg->n; i++) {
		if (svg->echo[i].send_ns < f->t0)
			f->t0 = svg->echo[i].send_ns;
		if (svg->echo[i].send_ns > f->t1)
			f->t1 = svg->echo[i].send_ns;
		if (svg->echo[i].rtt_ns > f->ymax)
			f->ymax = svg->echo[i].rtt_ns;
	}
	f->bar_w = svg->n ? 0.6 * PLOT_W / svg->n : MAX_BAR_W;
	if (f->bar_w > MAX_BAR_W)
		f->bar_w = MAX_BAR_W;
	if (f->bar_w < 1)
		f->bar_w = 1;
}

static double x_of(const struct frame *f, uint64_t t)
{
	if (f->t1 == f->t0)
		return LEFT + PLOT_W / 2.0;
	return LEFT + f->bar_w / 2 + (double)(t - f->t0) / (f->t1 - f->t0) *
	       (PLOT_W - f->bar_w);
}

static double y_of(const struct frame *f, uint64_t ns)
{
	return TOP + PLOT_H - (double)ns / f->ymax * PLOT_H;
}

static void bar(FILE *fp, const struct frame *f, const struct pt_svg_echo *e)
{
	double x = x_of(f, e->send_ns) - f->bar_w / 2;
	uint64_t below = 0;
	int i;

	if (e->status == PT_ECHO_LOST || e->status == PT_ECHO_ERROR) {
		fprintf(fp, "<rect class=\"%s\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
			"height=\"%d\" fill=\"" LOST_COLOUR "\"/>\n",
			e->status == PT_ECHO_LOST ? "lost" : "error", x, TOP,
			f->bar_w, PLOT_H);
		return;
	}
	if (e->status != PT_ECHO_OK)
		return;
	for (i = 0; i < PT_SVG_STAGES; i++) {
		if (!e->ns[i])
			continue;
		fprintf(fp, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
			"height=\"%.2f\" fill=\"%s\"/>\n", x,
			y_of(f, below + e->ns[i]), f->bar_w,
			y_of(f, below) - y_of(f, below + e->ns[i]),
			colours[i]);
		below += e->ns[i];
	}
}

static void rtt_line(FILE *fp, const struct frame *f,
		     const struct pt_svg *svg)
{
	size_t i;

	fprintf(fp, "<polyline class=\"rtt\" fill=\"none\" stroke=\"#000000\" "
		"stroke-width=\"1\" points=\"");
	for (i = 0; i < svg->n; i++)
		if (svg->echo[i].status == PT_ECHO_OK)
			fprintf(fp, "%.2f,%.2f ", x_of(f, svg->echo[i].send_ns),
				y_of(f, svg->echo[i].rtt_ns));
	fprintf(fp, "\"/>\n");
}

static void axes(FILE *fp, const struct frame *f)
{
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#000000\"/>\n", LEFT, TOP, LEFT, TOP + PLOT_H);
	fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#000000\"/>\n", LEFT, TOP + PLOT_H, LEFT + PLOT_W,
		TOP + PLOT_H);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
		"text-anchor=\"end\">%.1f us</text>\n", LEFT - 4, TOP + 10,
		f->ymax / 1000.0);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\" "
		"text-anchor=\"end\">0</text>\n", LEFT - 4, TOP + PLOT_H);
	fprintf(fp, "<text x=\"%d\" y=\"%d\" font-size=\"11\">request sent, "
		"%.3f s to %.3f s of the trace clock</text>\n", LEFT,
		TOP + PLOT_H + 25, f->t0 / 1e9, f->t1 / 1e9);
}

static void legend(FILE *fp)
{
	int i, x = PT_SVG_WIDTH - RIGHT + 10, y;

	for (i = PT_SVG_STAGES - 1; i >= 0; i--) {
		y = TOP + (PT_SVG_STAGES - 1 - i) * 18;
		fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
			"fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">"
			"%s</text>\n", x, y, colours[i], x + 16, y + 10,
			pt_stage_name(PT_S_RTT_FIRST + i));
	}
	y = TOP + PT_SVG_STAGES * 18;
	fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
		"fill=\"" LOST_COLOUR "\"/><text x=\"%d\" y=\"%d\" "
		"font-size=\"11\">lost, error</text>\n", x, y, x + 16, y + 10);
}

/* Returns 0 or -errno */
int pt_svg_write(struct pt_svg *svg, FILE *fp)
{
	struct frame f;
	size_t i;

	if (svg->err)
		return svg->err;
	frame_of(svg, &f);
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#ffffff\"/>\n",
		PT_SVG_WIDTH, PT_SVG_HEIGHT, PT_SVG_WIDTH, PT_SVG_HEIGHT);
	for (i = 0; i < svg->n; i++)
		bar(fp, &f, &svg->echo[i]);
	rtt_line(fp, &f, svg);
	axes(fp, &f);
	legend(fp);
	fprintf(fp, "</svg>\n");
	return ferror(fp) ? -EIO : 0;
}
