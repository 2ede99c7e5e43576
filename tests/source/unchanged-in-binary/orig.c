#include <sys/param.h>

unsigned	ub_double(unsigned x);

unsigned
ub_double(unsigned x)
{
	return (x * 2);
}
