#include <sys/param.h>

int	tc_limit(int x);

int
tc_limit(int x)
{
	if (x > 100)
		return (100);
	return (x);
}
