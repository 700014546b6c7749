# Sourced by tests/vm/target and tests/vm/qemu: apt-get/apt-cache on this
# machine with bookworm-backports added, through a private sources list
# and private lists under $cache/apt; the machine's own apt setup is left
# as it is. Needs $cache and $mirror.
backports_apt() {
	local cmd=$1
	shift
	mkdir -p "$cache/apt/lists/partial" || return 1
	printf 'deb %s bookworm main\ndeb %s bookworm-backports main\n' "$mirror" "$mirror" \
		> "$cache/apt/bookworm-backports.list"
	"$cmd" -o Dir::Etc::SourceList="$cache/apt/bookworm-backports.list" \
		-o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$cache/apt/lists" "$@"
}
