// SPDX-License-Identifier: MIT
// Bare IA-64 start-up for the Ski run (run-ski.sh): entered at PL0 with
// nothing set up. Gives the C code a stack and a gp, calls ski_main, and
// ends the simulation with its result as exit status. Also the simulator
// call and the test backend's handler, which C cannot express.
	.text
	.global _start
	.proc _start
_start:
	movl r12 = ski_stack_top - 16	// sp, 16 bytes of scratch above it by convention
	movl r1 = __gp ;;
	br.call.sptk.many b0 = ski_main ;;
	mov r32 = r8			// exit status
	mov r15 = 66 ;;			// Ski's SSC_EXIT, argument in r32
	break.i 0x80000 ;;
1:	br.sptk.few 1b ;;
	.endp _start

// unsigned long ski_ssc(arg0, arg1, arg2, arg3, nr): a simulator call;
// Ski reads the number from r15 and the arguments from r32-r35.
	.global ski_ssc
	.proc ski_ssc
ski_ssc:
	mov r15 = r36 ;;
	break.i 0x80000 ;;
	br.ret.sptk.many b0 ;;
	.endp ski_ssc

// The test backend's handler: entered from a patched sled by
// "brl.call b7", with every general register the interrupted code had.
// Counts the call in ski_handler_calls and returns to the sled's pad
// bundle. Its two scratch registers are kept in the kernel registers
// ar.k5/ar.k6 meanwhile (writable at PL0 only, which is where this runs).
	.align 16
	.global previrt_test_handler
	.proc previrt_test_handler
previrt_test_handler:
	mov ar.k6 = r2
	mov ar.k5 = r3 ;;
	movl r2 = ski_handler_calls ;;
	ld8 r3 = [r2] ;;
	adds r3 = 1, r3 ;;
	st8 [r2] = r3
	mov r2 = ar.k6 ;;
	mov r3 = ar.k5 ;;
	br.ret.sptk.many b7 ;;
	.endp previrt_test_handler

	.bss
	.align 16
	.global ski_handler_calls
ski_handler_calls:
	.skip 8
	.align 16
ski_stack:
	.skip 65536
ski_stack_top:
