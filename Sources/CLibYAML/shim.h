#include <yaml.h>

/* The commit mktopo was built from: `make release` and `make install` pass it as
   -Xcc -DMKTOPO_COMMIT="\"abc1234\""; any other build says "unknown". */
#ifndef MKTOPO_COMMIT
#define MKTOPO_COMMIT "unknown"
#endif

static inline const char *mktopo_build_commit(void) { return MKTOPO_COMMIT; }
