# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer harnesses of the consumer (tests/fuzz/), built with clang
# under ASan and UBSan.  Included by the top-level Makefile after
# mk/consumer.mk; also usable alone: make -f mk/fuzz.mk fuzz-smoke
#
#   fuzz-build   build $(FUZZ_DIR)/fuzz-decode and fuzz-tracefile
#   fuzz-smoke   replay tests/fuzz/regressions/, then fuzz each harness
#                for FUZZ_TIME seconds (make test)
#   fuzz-long    the same for FUZZ_LONG_TIME seconds each (make test-long)
#
# Any crash, sanitizer report, leak, timeout or broken invariant fails
# the target; the input is left in $(FUZZ_DIR)/artifacts/.  A crash
# found becomes a file in tests/fuzz/regressions/HARNESS/.

ifeq ($(origin PT_LIB_SRC),undefined)
include mk/consumer.mk
endif

FUZZ_CC		?= clang
FUZZ_DIR	:= $(BUILD)/fuzz
FUZZ_TIME	?= 20
FUZZ_LONG_TIME	?= 180
FUZZ_ARGS	?=
FUZZ_HARNESSES	:= decode tracefile

FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
FUZZ_CFLAGS	= -g -O1 $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PT_WARN) \
		  -D_GNU_SOURCE -MMD -MP -Iconsumer $(PT_PC_CFLAGS) \
		  -DPT_FIXTURES='"$(CURDIR)/tests/fixtures"'
FUZZ_LIB_OBJ	:= $(PT_LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS	:= $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/fuzz-%)

# The harnesses set their own ASan options and leak suppressions (only
# libraries' leaks, each explained there)
FUZZ_ENV	:= UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
FUZZ_FLAGS_decode	:= -max_len=4096
FUZZ_FLAGS_tracefile	:= -max_len=65536 -detect_leaks=0	# see the harness

.PHONY: fuzz-build fuzz-corpus fuzz-regressions fuzz-smoke fuzz-long \
	clean-fuzz

fuzz-build: $(FUZZ_BINS)

# Pattern-built objects are kept: no rebuild of the harnesses each time
.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/obj/tests/fuzz/fuzz-%.o)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

# The tracefile harness runs libtracecmd's open in this first (see there)
$(FUZZ_DIR)/fuzz-tracefile: | $(FUZZ_DIR)/fuzz-probe

$(FUZZ_DIR)/fuzz-probe: tests/fuzz/fuzz-probe.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -g -O1 -fsanitize=address $(PT_WARN) $(PT_PC_CFLAGS) \
		-o $@ $< $(PT_PC_LIBS)

$(FUZZ_DIR)/fuzz-%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz-%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PT_PC_LIBS) -lm

fuzz-corpus:
	tests/fuzz/make-corpus.sh $(FUZZ_DIR)

# Every committed crash input must now pass
fuzz-regressions: fuzz-build
	@for h in $(FUZZ_HARNESSES); do \
		files=$$(ls tests/fuzz/regressions/$$h/* 2>/dev/null); \
		[ -n "$$files" ] || continue; \
		$(FUZZ_ENV) $(FUZZ_DIR)/fuzz-$$h $$files \
			> $(FUZZ_DIR)/regressions-$$h.log 2>&1 || { \
			cat $(FUZZ_DIR)/regressions-$$h.log; \
			echo "fuzz-$$h: a regression input fails"; exit 1; }; \
		echo "fuzz-$$h: $$(echo $$files | wc -w) regression inputs pass"; \
	done

# $(call fuzz_run,HARNESS,SECONDS)
define fuzz_run
	@mkdir -p $(FUZZ_DIR)/corpus-$(1) $(FUZZ_DIR)/artifacts
	@echo "fuzz-$(1): fuzzing for $(2) s"
	@$(FUZZ_ENV) $(FUZZ_DIR)/fuzz-$(1) -max_total_time=$(2) -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)- \
		$(FUZZ_FLAGS_$(1)) $(FUZZ_ARGS) $(FUZZ_DIR)/corpus-$(1) \
		> $(FUZZ_DIR)/fuzz-$(1).log 2>&1 || { \
		tail -n 60 $(FUZZ_DIR)/fuzz-$(1).log; \
		echo "fuzz-$(1): FAILED, input in $(FUZZ_DIR)/artifacts/"; \
		exit 1; }
	@echo "fuzz-$(1): $$(sed -n 's/^stat::number_of_executed_units: *//p' \
		$(FUZZ_DIR)/fuzz-$(1).log) executions in $(2) s, no crash," \
		"corpus $$(ls $(FUZZ_DIR)/corpus-$(1) | wc -l) inputs"
endef

# make test's short runs start from the same seed every time
fuzz-smoke: FUZZ_ARGS += -seed=1
fuzz-smoke: fuzz-build fuzz-regressions fuzz-corpus
	$(call fuzz_run,decode,$(FUZZ_TIME))
	$(call fuzz_run,tracefile,$(FUZZ_TIME))

fuzz-long: fuzz-build fuzz-regressions fuzz-corpus
	$(call fuzz_run,decode,$(FUZZ_LONG_TIME))
	$(call fuzz_run,tracefile,$(FUZZ_LONG_TIME))

clean-fuzz:
	rm -rf $(FUZZ_DIR)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_HARNESSES:%=$(FUZZ_DIR)/obj/tests/fuzz/fuzz-%.d)
