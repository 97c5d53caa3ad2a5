# trustprobe: see README.md. Targets: all (probe/trustprobe), check, deps, install, clean.
PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/trustprobe

CC      ?= cc
PKGS    := ldns libunbound openssl jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
WERROR  ?=
ALL_CFLAGS = $(WARN) $(WERROR) -D_GNU_SOURCE -Iprobe -Iprobe/lab $(PKG_CFLAGS) \
             -DTP_DATADIR='"$(DATADIR)"' $(CFLAGS) -MMD -MP
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

LIB_SRC := $(sort $(filter-out probe/main.c,$(wildcard probe/*.c probe/lab/*.c)))
OBJ     := $(LIB_SRC:%.c=build/obj/%.o)
SOBJ    := $(LIB_SRC:%.c=build/san/%.o)
UNIT    := $(sort $(basename $(notdir $(wildcard tests/unit/test_*.c))))

all: probe/trustprobe

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@
build/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN) -c $< -o $@

build/libtp.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^
build/libtp-san.a: $(SOBJ)
	rm -f $@ && ar rcs $@ $^

probe/trustprobe: build/obj/probe/main.o build/libtp.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/unit/%: build/obj/tests/unit/%.o build/libtp.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) -lcmocka
build/unit-san/%: build/san/tests/unit/%.o build/libtp-san.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(PKG_LIBS) -lcmocka

unit: $(UNIT:%=build/unit/%) $(UNIT:%=build/unit-san/%)

# Unit tests run twice: plain, and under AddressSanitizer + UBSan.
check-unit: unit
	@set -e; export TP_VECTORS=$(CURDIR)/testvectors; \
	for t in $(UNIT); do echo "== $$t"; build/unit/$$t; done; \
	for t in $(UNIT); do echo "== $$t (asan+ubsan)"; \
	  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 build/unit-san/$$t; done

check-lab: probe/trustprobe
	prove -v tests/doc/ tests/lab/

check:
	$(MAKE) WERROR=-Werror check-unit
	$(MAKE) WERROR=-Werror check-lab

# Debian packages for the build, the lab and the tests (idempotent; needs root).
DEPS := build-essential pkg-config libldns-dev libunbound-dev libssl-dev libjansson-dev \
        libcmocka-dev nsd unbound bind9 pdns-recursor knot-resolver dnsmasq-base \
        dns-root-data iproute2 bind9-dnsutils ldnsutils mandoc perl procps
deps:
	sh .ci/install-deps $(DEPS)

install: probe/trustprobe
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)
	install -m 755 probe/trustprobe $(DESTDIR)$(BINDIR)/trustprobe
	ln -sf trustprobe $(DESTDIR)$(BINDIR)/check_trustprobe
	install -m 644 man/trustprobe.1 $(DESTDIR)$(MANDIR)/man1/trustprobe.1
	cp -R testvectors $(DESTDIR)$(DATADIR)/

clean:
	rm -rf build probe/trustprobe

.PHONY: all unit check check-unit check-lab deps install clean
.SECONDARY:
-include $(shell find build -name '*.d' 2>/dev/null)

# The README's main job: build a lab, probe every resolver in it, print the matrix, tear
# it down. trustprobe exits 1 here because the two control resolvers are not ready: that
# is the expected result, so only 2 and above fail the target.
demo: probe/trustprobe
	@probe/trustprobe lab; s=$$?; [ $$s -le 1 ]
.PHONY: demo
