#!/bin/sh
# make check's cell of the Kbuild matrix: Linux 6.1 tinyconfig-boot, x86_64,
# previrt=native. TAP out, the matrix table as comments.
exec sh "$(dirname "$0")/matrix.sh" --tap --json kbuild-cell.json tinyconfig-boot:x86_64:native
