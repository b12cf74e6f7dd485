# A plain .s file (no preprocessor): previrt-as reads it as gas does.
# EXPECT: cli 1
# EXPECT: kret 1
# EXPECT: desc_load 1
	.text
	.globl	pv_as_plain
pv_as_plain:
	cli			# a comment after the instruction
	lidt	(%eax); iretl
	ret
