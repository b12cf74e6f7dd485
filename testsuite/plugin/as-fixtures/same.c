/* The same instructions as same.S, in C: previrt-as must write the same
 * records (class, flags, lengths) and sleds as the plugin does. */
void pv_same(void)
{
	asm volatile("cli");
	asm volatile("sti");
	asm volatile("pushf\n\tpopf");
	asm volatile("wbinvd");
	asm volatile("sti\n\thlt");
	asm volatile("rdmsr" : : : "eax", "edx", "ecx");
}
