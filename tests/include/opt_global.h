/* kernel options, as config(8) writes them */
/*
 * The regression cases model a kernel configured like FreeBSD-CURRENT's
 * amd64 GENERIC; these options of it live in opt_global.h.
 */
#define INVARIANTS 1
#define INVARIANT_SUPPORT 1
#define KDTRACE_HOOKS 1
#define VIMAGE 1
