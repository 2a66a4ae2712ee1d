#!/bin/sh
# Run sparse with the kernel's arguments, less what Debian 12's sparse
# 0.6.4 cannot parse: it rejects the _zicsr_zifencei suffix of -march.
for a; do
	shift
	case $a in
	-march=*) a=$(echo "$a" | sed 's/_zicsr_zifencei//') ;;
	esac
	set -- "$@" "$a"
done
exec sparse "$@"
