/* SPDX-License-Identifier: MIT */
/*
 * Where a statement of previrt-as's input came from: preprocessed text
 * (a .S through gcc) carries cpp's line markers, '# LINE "FILE"', which
 * gas follows too; plain text counts from its own file's line 1.
 */
#ifndef PREVIRT_AS_LINES_H
#define PREVIRT_AS_LINES_H

#include <stddef.h>

/*
 * The source file and line of offset 'at' of text, whose first line is
 * line 1 of 'name' unless a marker says otherwise. 'file' gets at most
 * n-1 characters.
 */
void as_source_line(const char *text, size_t at, const char *name, char *file, size_t n,
		    long *line);

#endif
