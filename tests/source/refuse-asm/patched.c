#include <sys/param.h>

void	ra_barrier(void);

void
ra_barrier(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
}
