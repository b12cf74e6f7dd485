# Rules every fuzz target shares (included by the Makefile.am of the
# directory that holds the target).  The including file sets:
#   FUZZ_NAME      the corpus kept in the tree: testsuite/fuzz/corpus/$(FUZZ_NAME)
#   FUZZ_SRC   the target's sources (LLVMFuzzerTestOneInput and what it runs)
#   FUZZ_INCLUDES  FUZZ_LINK
#   FUZZ_SEEDS     a command writing extra seeds into fuzz-seeds/ (or "true")
#   FUZZ_MAX_LEN   the largest input libFuzzer makes
#   FUZZ_REPORT    the sources whose line coverage "make fuzz-coverage" prints
#
#   make fuzz [FUZZ_SECONDS=N]  libFuzzer, coverage-guided, from the tree's
#                          corpus and the seeds; new inputs go to fuzz-corpus/
#                          in the build directory, a finding to fuzz-finding-*
#                          (and the make fails)
#   make fuzz-merge        minimize the tree's corpus, fuzz-corpus/ and the
#                          seeds into the tree's corpus (libFuzzer -merge=1):
#                          how the corpus in the tree is made
#   make fuzz-coverage     replay the tree's corpus in a build with clang's
#                          source coverage and print lines covered per file
# "make check" replays the same corpus in a gcc build under ASan and UBSan,
# and in fuzz-replay-clang, the same under clang's sanitizers, which check
# more (a zero offset applied to a NULL pointer): the including file lists
# it in check_SCRIPTS and TESTS.
CLANG = clang
LLVM_PROFDATA = llvm-profdata
LLVM_COV = llvm-cov
FUZZ_SECONDS = 60
FUZZ_CORPUS_DIR = $(top_srcdir)/testsuite/fuzz/corpus/$(FUZZ_NAME)
fuzz_replay_sources = $(top_srcdir)/testsuite/fuzz/replay.c $(top_srcdir)/testsuite/fuzz/replay-main.c
# Minimize by the edges an input reaches, not by hit counts and compared
# values: about a quarter of the files for the same edges.
fuzz_merge_flags = -use_counters=0 -use_cmp=0 -use_value_profile=0
fuzz_clang_flags = -std=gnu11 -g -I$(top_srcdir)/testsuite/fuzz $(FUZZ_INCLUDES)

fuzz-libfuzzer: $(FUZZ_SRC)
	$(CLANG) $(fuzz_clang_flags) -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(FUZZ_SRC) $(FUZZ_LINK) -o $@

fuzz-cov: $(FUZZ_SRC) $(fuzz_replay_sources)
	$(CLANG) $(fuzz_clang_flags) -O0 -fprofile-instr-generate -fcoverage-mapping \
		$(FUZZ_SRC) $(fuzz_replay_sources) $(FUZZ_LINK) -o $@

fuzz-replay-clang: $(FUZZ_SRC) $(fuzz_replay_sources)
	$(CLANG) $(fuzz_clang_flags) -O1 -fno-omit-frame-pointer \
		-fsanitize=address,undefined -fno-sanitize-recover=all \
		$(FUZZ_SRC) $(fuzz_replay_sources) $(FUZZ_LINK) -o $@

fuzz-seeds-made:
	rm -rf fuzz-seeds
	mkdir -p fuzz-seeds fuzz-corpus
	$(FUZZ_SEEDS)

fuzz: fuzz-libfuzzer fuzz-seeds-made
	nice ./fuzz-libfuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) \
		-timeout=10 -artifact_prefix=./fuzz-finding- -print_final_stats=1 \
		fuzz-corpus $(FUZZ_CORPUS_DIR) fuzz-seeds

fuzz-merge: fuzz-libfuzzer
	rm -rf fuzz-merged
	mkdir -p fuzz-merged fuzz-corpus fuzz-seeds
	./fuzz-libfuzzer -merge=1 $(fuzz_merge_flags) -max_len=$(FUZZ_MAX_LEN) fuzz-merged \
		$(FUZZ_CORPUS_DIR) fuzz-corpus fuzz-seeds
	rm -f $(FUZZ_CORPUS_DIR)/*
	cp fuzz-merged/* $(FUZZ_CORPUS_DIR)/

fuzz-coverage: fuzz-cov
	rm -f fuzz-cov.profraw fuzz-cov.profdata
	LLVM_PROFILE_FILE=fuzz-cov.profraw ./fuzz-cov $(FUZZ_CORPUS_DIR) >/dev/null
	$(LLVM_PROFDATA) merge -sparse -o fuzz-cov.profdata fuzz-cov.profraw
	$(LLVM_COV) report ./fuzz-cov -instr-profile=fuzz-cov.profdata $(FUZZ_REPORT)

.PHONY: fuzz fuzz-merge fuzz-coverage fuzz-seeds-made
CLEANFILES += fuzz-libfuzzer fuzz-replay-clang fuzz-cov fuzz-cov.profraw fuzz-cov.profdata
clean-local: fuzz-clean
fuzz-clean:
	rm -rf fuzz-corpus fuzz-seeds fuzz-merged
.PHONY: fuzz-clean
