#include <sys/param.h>

long	rt_events;

void	rt_note(void);

void
rt_note(void)
{
	rt_events++;
}
