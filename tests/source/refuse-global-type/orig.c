#include <sys/param.h>

int	rt_events;

void	rt_note(void);

void
rt_note(void)
{
	rt_events++;
}
