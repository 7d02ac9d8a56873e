// clock.h is header-only; this unit keeps native/core buildable alone (see native/README).
#include "core/clock.h"
