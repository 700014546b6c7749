#!/bin/bash
# nsinject -f stops at the first bad event and says how far it got: a
# regular file is checked whole and sends nothing when a line is bad; a
# stream (a pipe) sends every event before the bad one, however the pipe
# is timed, and says how many; a request the module refuses is refused
# whole, and the message names the line from which nothing went out.
# (Without the module, tests/unit/check-cli covers --check, a missing
# file and a bad file.)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/inject.lib"
only_with_injection

check "insmod nslink.ko" load_module
ip netns add A

block() { printf 'ACTION=add\nDEVPATH=/devices/virtual/nslink/%s\nSUBSYSTEM=nslink-test\n\n' "$1"; }
# 600 good events (lines 1-2400), then a block whose line 2402 is bad.
{ for i in $(seq 600); do block "p$i"; done; printf 'ACTION=add\njunk\n\n'; block after; } > "$W/parse-bad"

before=$(seqnum)
out=$("$NSINJECT" -n A -f "$W/parse-bad" 2>&1); rc=$?
check_eq "a file, bad at line 2402 after 600 good events: exit status 5" 5 "$rc"
check_eq "... FILE:LINE, and nothing sent" \
"nsinject: $W/parse-bad:2402: not KEY=VALUE: 'junk'
nsinject: $W/parse-bad: 1 error: no event was sent" "$out"
check_eq "... no SEQNUM consumed" "$before" "$(seqnum)"

before=$(seqnum)
out=$("$NSINJECT" -n A -f - < <(cat "$W/parse-bad") 2>&1); rc=$?
check_eq "the same as a stream: exit status 5" 5 "$rc"
check_eq "... every event before the bad one sent, and said so" \
	"nsinject: <stdin>:2402: not KEY=VALUE: 'junk'; 600 events were sent before this one, none after" "$out"
check_eq "... 600 SEQNUMs, none for the block after it" $((before + 600)) "$(seqnum)"

# A pipe that pauses after 300 events: the count does not depend on it.
before=$(seqnum)
out=$({ head -n 1200 "$W/parse-bad"; sleep 0.5; tail -n +1201 "$W/parse-bad"; } |
	"$NSINJECT" -n A -f - 2>&1); rc=$?
check_eq "a stream that pauses after 300 events: exit status 5" 5 "$rc"
check_eq "... the same message" \
	"nsinject: <stdin>:2402: not KEY=VALUE: 'junk'; 600 events were sent before this one, none after" "$out"
check_eq "... 600 SEQNUMs" $((before + 600)) "$(seqnum)"

# The module refuses event 301 (no SUBSYSTEM=, line 1201): the first
# request (events 1-256) went out, the second (from event 257, line 1025)
# is refused whole.
{ for i in $(seq 300); do block "r$i"; done
  printf 'ACTION=add\nDEVPATH=/devices/virtual/nslink/r301\n\n'
  for i in $(seq 302 310); do block "r$i"; done; } > "$W/refused"
before=$(seqnum)
out=$("$NSINJECT" -n A -f "$W/refused" 2>&1); rc=$?
check_eq "a file whose event 301 the module refuses: exit status 5" 5 "$rc"
check_eq "... names it, its line, and where sending stopped" \
	"nsinject: $W/refused:1201: event add@/devices/virtual/nslink/r301 refused: uevent has no SUBSYSTEM=; 256 events were sent, none from line 1025 on" "$out"
check_eq "... 256 SEQNUMs" $((before + 256)) "$(seqnum)"
before=$(seqnum)
out=$(cat "$W/refused" | "$NSINJECT" -n A -f - 2>&1); rc=$?
check_eq "the same as a stream: exit status 5" 5 "$rc"
check_match "... the same refusal, named as <stdin>:1201" \
	"^nsinject: <stdin>:1201: event add@/devices/virtual/nslink/r301 refused: uevent has no SUBSYSTEM=; [0-9]+ events? w[a-z]+ sent, none from line [0-9]+ on\$" "$out"
sent=$(( $(seqnum) - before ))
from=$(printf '%s\n' "$out" | sed -n 's/.*none from line \([0-9]*\) on$/\1/p')
check_eq "... the count said is the count sent, and the line is that of the next event" \
	"$sent $(( sent * 4 + 1 ))" "$sent $from"

# --check needs neither the target nor the module.
rmmod nslink
out=$("$NSINJECT" -n A --check -f "$W/refused" 2>&1 >/dev/null); rc=$?
check_eq "--check without the module: status 0 (the module's own rules are not checked)" 0 "$rc"
check_eq "... how many" "nsinject: $W/refused: 310 events, no error" "$out"
ip netns delete A
check "no warning in the kernel log" kernel_log_clean
finish
