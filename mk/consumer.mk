# SPDX-License-Identifier: GPL-2.0
#
# pingtrace, the user-space consumer of net:ip_icmp.  Included by the
# top-level Makefile; also usable alone: make -f mk/consumer.mk pingtrace
#
#   pingtrace          build $(BUILD)/pingtrace
#   test-unit          build and run the CUnit tests ($(BUILD)/unit-tests)
#   test-unit-asan     the same tests under ASan and UBSan
#   test-unit-valgrind the same tests under valgrind, no leaks allowed
#   install-pingtrace  install binary and man page (PREFIX, DESTDIR)
#   unit-data          regenerate tests/unit/data/*.dat (needs trace-cmd)

BUILD		?= build
PREFIX		?= /usr/local
DESTDIR		?=
CC		?= gcc
PKG_CONFIG	?= pkg-config

PT_LIBS_PC	:= libtracecmd libtracefs libtraceevent
PT_PC_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags $(PT_LIBS_PC))
PT_PC_LIBS	:= $(shell $(PKG_CONFIG) --libs $(PT_LIBS_PC))

# CFLAGS, CPPFLAGS and LDFLAGS are the user's, as in trace-cmd's Makefile:
# they replace the defaults, and pingtrace's own flags are added to them.
CFLAGS		?= -O2 -g
CPPFLAGS	?=
LDFLAGS		?=
PT_WARN		:= -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
		   -Wmissing-prototypes
PT_ALL_CFLAGS	= $(CPPFLAGS) $(CFLAGS) $(PT_WARN) -D_GNU_SOURCE -MMD -MP \
		  -Iconsumer $(PT_PC_CFLAGS) \
		  -DPT_UNIT_DATA='"$(CURDIR)/tests/unit/data"' \
		  -DPT_FIXTURES='"$(CURDIR)/tests/fixtures"'

# Library modules (no exit, no stdout) and the command line
PT_LIB_SRC	:= consumer/table.c consumer/pair.c consumer/decode.c consumer/cli.c \
		   consumer/target.c consumer/output.c consumer/output-line.c \
		   consumer/output-text.c consumer/output-json.c \
		   consumer/output-csv.c consumer/session.c \
		   consumer/replay.c consumer/tracefile.c consumer/kallsyms.c \
		   consumer/child.c \
		   consumer/clocksync.c \
		   consumer/icmp-error.c consumer/join.c consumer/drop-decode.c \
		   consumer/ksym.c consumer/stages.c consumer/stage-decode.c \
		   consumer/hist.c consumer/output-stages.c consumer/output-svg.c \
		   consumer/ring.c consumer/shring.c \
		   consumer/merge.c consumer/stream.c consumer/output-merge.c
PT_CLI_SRC	:= consumer/main.c consumer/report.c consumer/report-merge.c \
		   consumer/live.c \
		   consumer/record.c consumer/check.c consumer/instance.c \
		   consumer/stage-events.c
PT_TEST_SRC	:= $(filter-out tests/unit/gen-trace.c,$(wildcard tests/unit/*.c))

PT_OBJDIR	:= $(BUILD)/consumer
PT_ASAN_DIR	:= $(BUILD)/asan
PT_LIB_OBJ	:= $(PT_LIB_SRC:%.c=$(PT_OBJDIR)/%.o)
PT_CLI_OBJ	:= $(PT_CLI_SRC:%.c=$(PT_OBJDIR)/%.o)
PT_TEST_OBJ	:= $(PT_TEST_SRC:%.c=$(PT_OBJDIR)/%.o)
PT_ASAN_OBJ	:= $(PT_LIB_SRC:%.c=$(PT_ASAN_DIR)/%.o) \
		   $(PT_TEST_SRC:%.c=$(PT_ASAN_DIR)/%.o)

PT_SAN		:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
UNIT_ARGS	?=
VALGRIND	?= valgrind
PT_VG_SUPP	:= tests/unit/valgrind.supp
PT_LSAN_SUPP	:= tests/unit/lsan.supp

.PHONY: pingtrace test-unit test-unit-asan test-unit-valgrind \
	install-pingtrace clean-pingtrace unit-data

pingtrace: $(BUILD)/pingtrace

$(BUILD)/pingtrace: $(PT_LIB_OBJ) $(PT_CLI_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PT_PC_LIBS) -lm

$(PT_OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PT_ALL_CFLAGS) -c -o $@ $<

$(BUILD)/unit-tests: $(PT_LIB_OBJ) $(PT_TEST_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PT_PC_LIBS) -lcunit -lm

test-unit: $(BUILD)/unit-tests
	$(BUILD)/unit-tests $(UNIT_ARGS)

$(PT_ASAN_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(PT_ALL_CFLAGS) $(PT_SAN) -c -o $@ $<

$(BUILD)/unit-tests-asan: $(PT_ASAN_OBJ)
	$(CC) $(CFLAGS) $(PT_SAN) $(LDFLAGS) -o $@ $^ $(PT_PC_LIBS) -lcunit -lm

test-unit-asan: $(BUILD)/unit-tests-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/$(PT_LSAN_SUPP) \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(BUILD)/unit-tests-asan $(UNIT_ARGS)

# Only libtracecmd's own leaks are suppressed (see $(PT_VG_SUPP))
test-unit-valgrind: $(BUILD)/unit-tests
	$(VALGRIND) -q --error-exitcode=1 --leak-check=full \
		--errors-for-leak-kinds=definite,possible \
		--suppressions=$(PT_VG_SUPP) $(BUILD)/unit-tests $(UNIT_ARGS)

$(BUILD)/gen-trace: tests/unit/gen-trace.c $(PT_OBJDIR)/tests/unit/unit-helpers.o
	$(CC) $(PT_ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PT_PC_LIBS)

unit-data: $(BUILD)/gen-trace
	tests/unit/make-trace.sh $(BUILD)/gen-trace tests/unit/data

install-pingtrace: $(BUILD)/pingtrace
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BUILD)/pingtrace $(DESTDIR)$(PREFIX)/bin/pingtrace
	install -m 0644 consumer/pingtrace.1 \
		$(DESTDIR)$(PREFIX)/share/man/man1/pingtrace.1

clean-pingtrace:
	rm -rf $(PT_OBJDIR) $(PT_ASAN_DIR) $(BUILD)/pingtrace \
		$(BUILD)/unit-tests $(BUILD)/unit-tests-asan $(BUILD)/gen-trace

-include $(PT_LIB_OBJ:.o=.d) $(PT_CLI_OBJ:.o=.d) $(PT_TEST_OBJ:.o=.d) \
	 $(PT_ASAN_OBJ:.o=.d)
