# Sourced: apt-get with a private configuration, so that the harness
# reads Debian's archive without touching the machine's apt setup.
#   apt_private_init DIR SOURCES-LINE [ARCH]   a fresh configuration in DIR
#   apt_private ARGS...                        apt-get with it
# ARCH (riscv64, say) makes apt read that architecture's packages.
apt_private_init() {
	apt_dir=$1 apt_arch=${3:-}
	rm -rf "$apt_dir"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	: > "$apt_dir/status"
	echo "$2" > "$apt_dir/sources.list"
}

apt_private() {
	# shellcheck disable=SC2086
	apt-get -o Dir::Etc::sourcelist="$apt_dir/sources.list" \
		-o Dir::Etc::sourceparts=- -o Dir::State::Lists="$apt_dir/lists" \
		-o Dir::Cache="$apt_dir/cache" -o Dir::State::status="$apt_dir/status" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root \
		${apt_arch:+-o APT::Architecture=$apt_arch -o APT::Architectures::=$apt_arch} \
		"$@"
}
